import type { Cipher } from '../crypto/cipher';
import { KeyRing } from '../crypto/key-ring';
import { consoleTokenLogger, type TokenLogger } from '../token-logger';
import { BoundedTtlMap } from './bounded-ttl-map';
import { openRecord, sealRecord } from './record-codec';
import { StoreKeys } from './store-keys';
import type {
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenStore,
} from './token-store.interface';

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Most records kept (sessions + grants + transactions); the oldest written is evicted. @default 10000 */
  maxEntries?: number;
  /** How often expired records are swept, in ms; 0 disables the timer (reads still hide them). @default 60000 */
  sweepIntervalMs?: number;
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
 * a map lookup, not a decrypt and a parse. Records expire by TTL and the store never holds more
 * than `maxEntries`. Not shared between instances: use `RedisTokenStore` for that.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly cipher: Cipher;
  private readonly logger: TokenLogger;
  private readonly now: () => number;
  private readonly records: BoundedTtlMap<string, string | Readonly<SessionRecord>>;
  /** Grant key prefix of a session → keys of its grants, kept in step with `records` by `onRemove`. */
  private readonly grantIndex = new Map<string, Set<string>>();
  private readonly timer?: NodeJS.Timeout;

  /** @param cipher encrypts every record. @default a random key for this process ({@link KeyRing.ephemeral}) */
  constructor(cipher?: Cipher, options: MemoryTokenStoreOptions = {}) {
    this.cipher = cipher ?? KeyRing.ephemeral();
    this.logger = options.logger ?? consoleTokenLogger;
    this.now = options.now ?? Date.now;
    this.records = new BoundedTtlMap<string, string | Readonly<SessionRecord>>({
      maxEntries: options.maxEntries ?? 10_000,
      now: this.now,
      onRemove: (key) => this.unindex(key),
    });
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) this.timer = setInterval(() => this.sweep(), every).unref();
  }

  /** Records held, expired ones not yet swept included, and sessions in the grant index. */
  stats(): { records: number; indexedSessions: number } {
    return { records: this.records.size, indexedSessions: this.grantIndex.size };
  }

  /** Removes every expired record now; returns how many. */
  sweep(): number {
    return this.records.sweep();
  }

  /** Stops the sweep timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The session, read-only (deep-frozen): copy it to change it, then {@link setSession}. */
  async getSession(id: string): Promise<SessionRecord | undefined> {
    const record = this.records.get(StoreKeys.session(id));
    return typeof record === 'object' ? record : undefined;
  }

  async setSession(session: SessionRecord, ttlMs: number): Promise<void> {
    this.records.set(StoreKeys.session(session.id), deepFreeze(structuredClone(session)), ttlMs);
  }

  async replaceSession(session: SessionRecord, ttlMs: number): Promise<boolean> {
    const key = StoreKeys.session(session.id);
    // Check and write in one synchronous step: no deleteSession can run between them.
    if (typeof this.records.get(key) !== 'object') return false;
    this.records.set(key, deepFreeze(structuredClone(session)), ttlMs);
    return true;
  }

  async deleteSession(id: string): Promise<void> {
    this.records.delete(StoreKeys.session(id));
    for (const key of [...(this.grantIndex.get(StoreKeys.grantPrefix(id)) ?? [])]) {
      this.records.delete(key);
    }
    StoreKeys.forgetSession(id);
  }

  async getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    return this.read<StoredGrant>(StoreKeys.grant(sessionId, provider));
  }

  async compareAndSetGrant(
    sessionId: string,
    provider: string,
    grant: Omit<StoredGrant, 'version' | 'updatedAt'>,
    expectedVersion: number,
    ttlMs: number,
  ): Promise<StoredGrant | undefined> {
    const key = StoreKeys.grant(sessionId, provider);
    const current = this.read<StoredGrant>(key)?.version ?? 0;
    if (current !== expectedVersion) return undefined;
    const written: StoredGrant = { ...grant, version: current + 1, updatedAt: this.now() };
    this.write(key, written, ttlMs);
    const prefix = StoreKeys.grantPrefix(sessionId);
    const keys = this.grantIndex.get(prefix) ?? new Set<string>();
    keys.add(key);
    this.grantIndex.set(prefix, keys);
    return structuredClone(written);
  }

  async deleteGrant(sessionId: string, provider: string): Promise<void> {
    this.records.delete(StoreKeys.grant(sessionId, provider));
  }

  async putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void> {
    this.write(StoreKeys.transaction(tx.state), tx, ttlMs);
  }

  async takeTransaction(state: string): Promise<LoginTransaction | undefined> {
    const key = StoreKeys.transaction(state);
    const tx = this.read<LoginTransaction>(key);
    this.records.delete(key);
    return tx;
  }

  private read<T>(key: string): T | undefined {
    const sealed = this.records.get(key);
    return typeof sealed !== 'string'
      ? undefined
      : openRecord<T>(this.cipher, key, sealed, this.logger);
  }

  private write(key: string, value: unknown, ttlMs: number): void {
    this.records.set(key, sealRecord(this.cipher, key, value), ttlMs);
  }

  private unindex(key: string): void {
    if (!key.startsWith('grant:')) return;
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
