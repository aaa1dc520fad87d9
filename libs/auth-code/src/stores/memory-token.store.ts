import type { Cipher } from '../tokens/crypto/cipher';
import { KeyRing } from '../tokens/crypto/key-ring';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import { BoundedTtlMap } from './bounded-ttl-map';
import { MemorySessionIndex } from './memory-session.index';
import { openRecord, sealRecord } from './record-codec';
import { StoreKeys } from './store-keys';
import type {
  DueGrant,
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenStore,
} from './token-store.interface';

/**
 * Size limits of a {@link MemoryTokenStore}, one per kind of record: writing past a limit evicts
 * the oldest record of that kind only, so login attempts (which anyone can start) can never push
 * out a session or a grant.
 */
export interface MemoryTokenStoreLimits {
  /** Most sessions kept; past it the oldest written is evicted, with its grants. @default 20000 */
  maxSessions?: number;
  /** Most grants kept (a session holds one per provider it logged in with). @default 40000 */
  maxGrants?: number;
  /**
   * Most login transactions kept; past it the oldest is evicted. The login budget
   * (`loginAttempts.total`, default 10000) refuses new attempts before this is reached.
   * @default 10000
   */
  maxTransactions?: number;
  /** How often expired records are swept, in ms; 0 disables the timer (reads still hide them). @default 60000 */
  sweepIntervalMs?: number;
}

/** The defaults of {@link MemoryTokenStoreLimits}. */
export const DEFAULT_MEMORY_STORE_LIMITS = {
  maxSessions: 20_000,
  maxGrants: 40_000,
  maxTransactions: 10_000,
} as const;

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions extends MemoryTokenStoreLimits {
  /**
   * @deprecated the store used to hold every kind of record in one map of this size (so login
   * attempts could evict sessions); now it is the default of each of `maxSessions`, `maxGrants`
   * and `maxTransactions`.
   */
  maxEntries?: number;
  /** Clock, epoch ms (tests). @default Date.now */
  now?: () => number;
  /** Receives a warning for each record that cannot be decrypted. @default console */
  logger?: TokenLogger;
}

/**
 * A {@link TokenStore} in this process's memory, for development and single-instance apps. Grants
 * (tokens) and login transactions (PKCE verifiers, nonces) are encrypted even here (heap dumps, core
 * files). Session records hold no secret — an id, the profile, provider ids — so they are kept as
 * deep-frozen objects and handed out as they are: the session guard's read on every request costs
 * a map lookup, not a decrypt and a parse. Records expire by TTL; sessions, grants and transactions
 * are bounded separately ({@link MemoryTokenStoreLimits}). Not shared between instances: use
 * `RedisTokenStore` for that.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly cipher: Cipher;
  private readonly logger: TokenLogger;
  private readonly now: () => number;
  private readonly sessions: BoundedTtlMap<string, Readonly<SessionRecord>>;
  private readonly grants: BoundedTtlMap<string, string>;
  private readonly transactions: BoundedTtlMap<string, string>;
  /** Grant key prefix of a session → keys of its grants, kept in step with `grants` by `onRemove`. */
  private readonly grantIndex = new Map<string, Set<string>>();
  /** Sessions by lookup key, and the replay memory (back-channel logout). */
  private readonly sessionIndex: MemorySessionIndex;
  /** Grant key → when upkeep is due and whose grant it is (the raw owner id never leaves the process). */
  private readonly upkeep = new Map<string, DueGrant & { at: number }>();
  private readonly timer?: NodeJS.Timeout;

  /** @param cipher encrypts every record. @default a random key for this process ({@link KeyRing.ephemeral}) */
  constructor(cipher?: Cipher, options: MemoryTokenStoreOptions = {}) {
    this.cipher = cipher ?? KeyRing.ephemeral();
    this.logger = options.logger ?? consoleTokenLogger;
    this.now = options.now ?? Date.now;
    const limit = (own: number | undefined, fallback: number) =>
      own ?? options.maxEntries ?? fallback;
    const now = this.now;
    this.sessions = new BoundedTtlMap({
      maxEntries: limit(options.maxSessions, DEFAULT_MEMORY_STORE_LIMITS.maxSessions),
      now,
      // An evicted or expired session takes its grants with it: nothing can reach them any more.
      onRemove: (key) => this.dropGrantsOf(key),
    });
    this.grants = new BoundedTtlMap({
      maxEntries: limit(options.maxGrants, DEFAULT_MEMORY_STORE_LIMITS.maxGrants),
      now,
      onRemove: (key) => this.unindex(key),
    });
    this.transactions = new BoundedTtlMap({
      maxEntries: limit(options.maxTransactions, DEFAULT_MEMORY_STORE_LIMITS.maxTransactions),
      now,
    });
    this.sessionIndex = new MemorySessionIndex(
      limit(options.maxSessions, DEFAULT_MEMORY_STORE_LIMITS.maxSessions),
      now,
    );
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) this.timer = setInterval(() => this.sweep(), every).unref();
  }

  /** Records held (expired ones not yet swept included), per kind, and sessions in the grant index. */
  stats(): {
    records: number;
    sessions: number;
    grants: number;
    transactions: number;
    indexedSessions: number;
  } {
    const [sessions, grants, transactions] = [this.sessions, this.grants, this.transactions].map(
      (m) => m.size,
    );
    return {
      records: sessions + grants + transactions,
      sessions,
      grants,
      transactions,
      indexedSessions: this.grantIndex.size,
    };
  }

  /** Removes every expired record now; returns how many. */
  sweep(): number {
    const removed = this.sessions.sweep() + this.grants.sweep() + this.transactions.sweep();
    return removed + this.sessionIndex.sweep();
  }

  /** Stops the sweep timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The session, read-only (deep-frozen): copy it to change it, then {@link setSession}. */
  async getSession(id: string): Promise<SessionRecord | undefined> {
    return this.sessions.get(StoreKeys.session(id));
  }

  /** The session, synchronously: everything is in this process. */
  peekSession(id: string): SessionRecord | null {
    return this.sessions.get(StoreKeys.session(id)) ?? null;
  }

  async setSession(session: SessionRecord, ttlMs: number): Promise<void> {
    this.sessions.set(StoreKeys.session(session.id), deepFreeze(structuredClone(session)), ttlMs);
  }

  async replaceSession(session: SessionRecord, ttlMs: number): Promise<boolean> {
    const key = StoreKeys.session(session.id);
    // Check and write in one synchronous step: no deleteSession can run between them.
    if (this.sessions.get(key) === undefined) return false;
    this.sessions.set(key, deepFreeze(structuredClone(session)), ttlMs);
    return true;
  }

  async deleteSession(id: string): Promise<void> {
    if (!this.sessions.delete(StoreKeys.session(id))) this.dropGrants(StoreKeys.grantPrefix(id));
    StoreKeys.forgetSession(id);
  }

  async getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    return this.read<StoredGrant>(this.grants, StoreKeys.grant(sessionId, provider));
  }

  async compareAndSetGrant(
    sessionId: string,
    provider: string,
    grant: Omit<StoredGrant, 'version' | 'updatedAt'>,
    expectedVersion: number,
    ttlMs: number,
  ): Promise<StoredGrant | undefined> {
    const key = StoreKeys.grant(sessionId, provider);
    const current = this.read<StoredGrant>(this.grants, key)?.version ?? 0;
    if (current !== expectedVersion) return undefined;
    const written: StoredGrant = { ...grant, version: current + 1, updatedAt: this.now() };
    this.grants.set(key, sealRecord(this.cipher, key, written), ttlMs);
    this.schedule(key, sessionId, provider, written.upkeepAt);
    const prefix = StoreKeys.grantPrefix(sessionId);
    const keys = this.grantIndex.get(prefix) ?? new Set<string>();
    keys.add(key);
    this.grantIndex.set(prefix, keys);
    return structuredClone(written);
  }

  async deleteGrant(sessionId: string, provider: string): Promise<void> {
    this.grants.delete(StoreKeys.grant(sessionId, provider));
  }

  async indexSession(sessionId: string, keys: string[], ttlMs: number): Promise<void> {
    this.sessionIndex.add(StoreKeys.sessionDigest(sessionId), keys, ttlMs);
  }

  async deleteIndexedSessions(key: string): Promise<number> {
    let deleted = 0;
    for (const d of this.sessionIndex.take(key)) {
      // an evicted or expired session has no record left, but may still have grants
      if (this.sessions.get(StoreKeys.sessionOfDigest(d)) !== undefined) deleted++;
      if (!this.sessions.delete(StoreKeys.sessionOfDigest(d))) {
        this.dropGrants(StoreKeys.grantPrefixOfDigest(d));
      }
    }
    return deleted;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.sessionIndex.claimOnce(key, ttlMs);
  }

  async claimDueGrants(now: number, limit: number, leaseMs: number): Promise<DueGrant[]> {
    const due = [...this.upkeep.values()]
      .filter((e) => e.at <= now)
      .sort((a, b) => a.at - b.at)
      .slice(0, Math.max(0, limit));
    for (const e of due) e.at = now + leaseMs;
    return due.map(({ ownerId, provider }) => ({ ownerId, provider }));
  }

  async rescheduleUpkeep(
    ownerId: string,
    provider: string,
    upkeepAt: number | undefined,
  ): Promise<void> {
    const key = StoreKeys.grant(ownerId, provider);
    if (this.grants.get(key) === undefined) this.upkeep.delete(key);
    else this.schedule(key, ownerId, provider, upkeepAt);
  }

  async putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void> {
    const key = StoreKeys.transaction(tx.state);
    this.transactions.set(key, sealRecord(this.cipher, key, tx), ttlMs);
  }

  async takeTransaction(state: string): Promise<LoginTransaction | undefined> {
    const key = StoreKeys.transaction(state);
    const tx = this.read<LoginTransaction>(this.transactions, key);
    this.transactions.delete(key);
    return tx;
  }

  private read<T>(map: BoundedTtlMap<string, string>, key: string): T | undefined {
    const sealed = map.get(key);
    return sealed === undefined ? undefined : openRecord<T>(this.cipher, key, sealed, this.logger);
  }

  /** `session:{d}` → its grants (`grant:{d}:*`) go. */
  private dropGrantsOf(sessionKey: string): void {
    this.dropGrants(`grant:${sessionKey.slice('session:'.length)}:`);
  }

  private dropGrants(prefix: string): void {
    for (const key of [...(this.grantIndex.get(prefix) ?? [])]) this.grants.delete(key);
  }

  private schedule(key: string, ownerId: string, provider: string, at: number | undefined): void {
    if (at === undefined || !Number.isFinite(at)) this.upkeep.delete(key);
    else this.upkeep.set(key, { ownerId, provider, at });
  }

  private unindex(key: string): void {
    this.upkeep.delete(key);
    const prefix = key.slice(0, key.indexOf('}:') + 2);
    const keys = this.grantIndex.get(prefix);
    keys?.delete(key);
    if (keys?.size === 0) this.grantIndex.delete(prefix);
  }
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
