import { randomBytes } from 'node:crypto';
import type { Cipher } from '../tokens/crypto/cipher';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  checkKeyPrefix,
  closeRedis,
  describeRedisError,
  resolveRedis,
  type RedisClient,
  type RedisConnectionOptions,
  type RedisSource,
} from './redis-connection';
import { RedisGuard } from './redis-guard';
import {
  COMPARE_AND_SET_GRANT,
  DELETE_GRANT,
  DELETE_SESSION,
  INDEX_SESSION,
  RESCHEDULE_GRANT,
  UPKEEP_CLAIM,
  UPKEEP_FORGET,
  UPKEEP_PUT,
  UPKEEP_SETTLE,
} from './redis-scripts';
import { openRecord, sealRecord } from './record-codec';
import { StoreKeys } from './store-keys';
import { UpkeepEntry } from './upkeep-entry';
import type {
  DueGrant,
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenStore,
} from './token-store.interface';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions extends RedisConnectionOptions {
  /**
   * A Redis URL (`redis://host:6379/0`, `rediss://...`), a Redis Cluster URL
   * (`redis-cluster://host:7000,host:7001`), or an ioredis `Redis` or `Cluster` you own and configure.
   */
  redis: RedisSource;
  /** Encrypts every value (usually a `KeyRing`). */
  cipher: Cipher;
  /**
   * Prefix of every key this store writes. With Redis Cluster it must not contain `{` or `}`: each
   * key's hash tag is its session's digest, so a session's records share one slot.
   * @default 'auth-code:'
   */
  keyPrefix?: string;
  /** How long the first call waits for the initial connection, in ms. @default 2000 */
  startupWaitMs?: number;
  /** Receives undecryptable-record and connection warnings. @default console */
  logger?: TokenLogger;
}

/**
 * A {@link TokenStore} in Redis, shared by every instance of the app. Every value is encrypted;
 * keys carry digests, never session ids or states. When Redis is unreachable each call fails at
 * once with `ServiceUnavailableError` (`store_unavailable`, 503) — there is no fallback to memory —
 * and the store recovers by itself once Redis is back.
 *
 * The same class serves Redis Cluster: every key of a session (its record, its grants, their
 * index) and its refresh locks carry the session digest as hash tag (`{…}`), so they live in one
 * slot and the Lua scripts and `MULTI` blocks touch one node; login transactions are single keys.
 *
 * The upkeep index ({@link claimDueGrants}) is one sorted set of `<owner digest>:<provider>`
 * scored by `upkeepAt`, and a hash of the owner ids (key-ring ciphertext), both under the hash tag
 * `{upkeep}`: on a cluster the whole index lives in one slot, so a claim is one script. A grant's
 * own hash keeps its `upkeepAt` too (field `u`, not secret): writes update the index after the
 * grant (another slot, another command), and a claim checks each entry against its grant, so an
 * entry a crash or a race left behind is dropped or moved rather than handed out.
 */
export class RedisTokenStore implements TokenStore {
  /** The ioredis client (for health checks). */
  readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly guard: RedisGuard;
  private readonly cipher: Cipher;
  private readonly prefix: string;
  private readonly logger: TokenLogger;
  /** The upkeep index: due set and owners hash (one slot). */
  private readonly upkeep: [string, string];
  /** An upkeep index update failed and none has worked since (reported once). */
  private indexFailing = false;

  constructor(options: RedisTokenStoreOptions) {
    this.logger = options.logger ?? consoleTokenLogger;
    // checked before connecting: a refused prefix leaves no client reconnecting behind
    this.prefix = checkKeyPrefix(options.redis, options.keyPrefix ?? 'auth-code:');
    ({ client: this.client, owned: this.owned } = resolveRedis(
      options.redis,
      options,
      this.logger,
    ));
    this.guard = new RedisGuard(this.client, options.startupWaitMs ?? 2000);
    this.cipher = options.cipher;
    this.upkeep = [`${this.prefix}upkeep:{upkeep}:due`, `${this.prefix}upkeep:{upkeep}:owners`];
  }

  /** Closes the connection when this store created it (from a URL); a given client is left open. */
  async close(): Promise<void> {
    if (this.owned) await closeRedis(this.client);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const key = StoreKeys.session(id);
    const sealed = await this.guard.run((r) => r.get(this.prefix + key));
    return sealed === null ? undefined : openRecord(this.cipher, key, sealed, this.logger);
  }

  async setSession(session: SessionRecord, ttlMs: number): Promise<void> {
    const key = StoreKeys.session(session.id);
    const sealed = sealRecord(this.cipher, key, session);
    await this.guard.run((r) => r.set(this.prefix + key, sealed, 'PX', ttlMs));
  }

  async replaceSession(session: SessionRecord, ttlMs: number): Promise<boolean> {
    const key = StoreKeys.session(session.id);
    const sealed = sealRecord(this.cipher, key, session);
    // XX: written only when the key still exists, so a deleted (logged-out) session stays deleted.
    const ok = await this.guard.run((r) => r.set(this.prefix + key, sealed, 'PX', ttlMs, 'XX'));
    return ok === 'OK';
  }

  async deleteSession(id: string): Promise<void> {
    StoreKeys.forgetSession(id);
    await this.deleteByDigest(StoreKeys.sessionDigest(id));
  }

  /** Deletes a session named by its digest (its own slot); true when its record existed. */
  private async deleteByDigest(d: string): Promise<boolean> {
    const keys = [StoreKeys.sessionOfDigest(d), StoreKeys.grantIndexOfDigest(d)].map(
      (k) => this.prefix + k,
    );
    const grantPrefix = this.prefix + StoreKeys.grantPrefixOfDigest(d);
    const [existed, ...scheduled] = (await this.guard.run((r) =>
      DELETE_SESSION.run(r, keys, [grantPrefix]),
    )) as [number, ...string[]];
    const forget: string[] = [];
    for (let i = 0; i < scheduled.length; i += 2) {
      forget.push(UpkeepEntry.name(d, scheduled[i]), scheduled[i + 1]);
    }
    if (forget.length > 0) await this.aside((r) => UPKEEP_FORGET.run(r, this.upkeep, forget));
    return existed === 1;
  }

  async indexSession(sessionId: string, keys: string[], ttlMs: number): Promise<void> {
    const d = StoreKeys.sessionDigest(sessionId);
    const now = Date.now();
    await Promise.all(
      keys.map((key) =>
        this.guard.run((r) =>
          INDEX_SESSION.run(r, [this.prefix + StoreKeys.sessionIndex(key)], [now, now + ttlMs, d]),
        ),
      ),
    );
  }

  async deleteIndexedSessions(key: string): Promise<number> {
    const index = this.prefix + StoreKeys.sessionIndex(key);
    const digests = await this.guard.run((r) => r.zrangebyscore(index, Date.now(), '+inf'));
    // each session in its own slot (Redis Cluster): one script per session, then the index
    const deleted = await Promise.all(digests.map((d) => this.deleteByDigest(d)));
    if (digests.length > 0) await this.guard.run((r) => r.zrem(index, ...digests));
    return deleted.filter(Boolean).length;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const name = this.prefix + StoreKeys.claimed(key);
    return (await this.guard.run((r) => r.set(name, '1', 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    const key = StoreKeys.grant(sessionId, provider);
    const sealed = await this.guard.run((r) => r.hget(this.prefix + key, 'd'));
    return sealed === null ? undefined : openRecord(this.cipher, key, sealed, this.logger);
  }

  async compareAndSetGrant(
    sessionId: string,
    provider: string,
    grant: Omit<StoredGrant, 'version' | 'updatedAt'>,
    expectedVersion: number,
    ttlMs: number,
  ): Promise<StoredGrant | undefined> {
    const key = StoreKeys.grant(sessionId, provider);
    const written: StoredGrant = { ...grant, version: expectedVersion + 1, updatedAt: Date.now() };
    const sealed = sealRecord(this.cipher, key, written);
    const keys = [this.prefix + key, this.prefix + StoreKeys.grantIndex(sessionId)];
    const due = UpkeepEntry.dueAt(grant.upkeepAt);
    const args = [
      expectedVersion,
      written.version,
      sealed,
      ttlMs,
      provider,
      due ?? '',
      generation(),
    ];
    const ok = await this.guard.run((r) => COMPARE_AND_SET_GRANT.run(r, keys, args));
    if (!Array.isArray(ok)) return undefined;
    const [g, had] = ok as [string, number];
    // nothing to index and nothing indexed before: a store without upkeep pays no second call
    if (due !== undefined || had === 1) {
      await this.aside((r) => this.indexUpkeep(r, sessionId, provider, g, written.version, due));
    }
    return written;
  }

  async deleteGrant(sessionId: string, provider: string): Promise<void> {
    const grant = this.prefix + StoreKeys.grant(sessionId, provider);
    const index = this.prefix + StoreKeys.grantIndex(sessionId);
    const g = await this.guard.run((r) => DELETE_GRANT.run(r, [grant, index], [provider]));
    if (typeof g !== 'string') return;
    const name = UpkeepEntry.name(StoreKeys.sessionDigest(sessionId), provider);
    await this.aside((r) => UPKEEP_FORGET.run(r, this.upkeep, [name, g]));
  }

  /**
   * Claims due grants: one script on the index (oldest first, each moved to `now + leaseMs`), then
   * each entry is checked against its grant (other slots): an entry whose grant is gone, has no
   * `upkeepAt` any more or does not open is dropped, one whose grant is due later is moved there,
   * and neither is handed out. At most 1000 per call (`MAX_UPKEEP_CLAIM`).
   */
  async claimDueGrants(now: number, limit: number, leaseMs: number): Promise<DueGrant[]> {
    const count = UpkeepEntry.claimCount(limit);
    if (count === 0 || !Number.isFinite(now)) return [];
    const leased = leaseEnd(now, leaseMs);
    const reply = (await this.guard.run((r) =>
      UPKEEP_CLAIM.run(r, this.upkeep, [now, count, leased]),
    )) as string[];
    const claimed: Array<{ name: string; value: string }> = [];
    for (let i = 0; i < reply.length; i += 2) claimed.push({ name: reply[i], value: reply[i + 1] });
    if (claimed.length === 0) return [];
    const grants = await this.guard.run((r) =>
      Promise.all(
        claimed.map(({ name }) => {
          const { ownerDigest, provider } = UpkeepEntry.parse(name);
          return r.hmget(
            this.prefix + StoreKeys.grantPrefixOfDigest(ownerDigest) + provider,
            'v',
            'u',
          );
        }),
      ),
    );
    const due: DueGrant[] = [];
    const settle: Array<string | number> = [];
    claimed.forEach(({ name, value }, i) => {
      const [version, upkeepAt] = grants[i];
      const sealed = value.slice(value.indexOf(':', value.indexOf(':') + 1) + 1);
      const ownerId =
        version === null || upkeepAt === null
          ? undefined
          : UpkeepEntry.openOwner(this.cipher, name, sealed, this.logger);
      if (ownerId === undefined) settle.push(name, leased, value, '');
      else if (Number(upkeepAt) > now) settle.push(name, leased, value, upkeepAt!);
      else due.push({ ownerId, provider: UpkeepEntry.parse(name).provider });
    });
    if (settle.length > 0) await this.guard.run((r) => UPKEEP_SETTLE.run(r, this.upkeep, settle));
    return due;
  }

  /**
   * Moves a grant's upkeep time: the grant's `u` field first (its slot), then its index entry. A
   * grant that does not exist is left alone (an entry it left behind is dropped when claimed).
   */
  async rescheduleUpkeep(
    ownerId: string,
    provider: string,
    upkeepAt: number | undefined,
  ): Promise<void> {
    const due = UpkeepEntry.dueAt(upkeepAt);
    const key = this.prefix + StoreKeys.grant(ownerId, provider);
    const found = await this.guard.run((r) =>
      RESCHEDULE_GRANT.run(r, [key], [due ?? '', generation()]),
    );
    if (!Array.isArray(found)) return;
    const [g, version] = found as [string, string];
    await this.guard.run((r) => this.indexUpkeep(r, ownerId, provider, g, Number(version), due));
  }

  async putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void> {
    const key = StoreKeys.transaction(tx.state);
    const sealed = sealRecord(this.cipher, key, tx);
    await this.guard.run((r) => r.set(this.prefix + key, sealed, 'PX', ttlMs));
  }

  async takeTransaction(state: string): Promise<LoginTransaction | undefined> {
    const key = StoreKeys.transaction(state);
    // GETDEL (Redis >= 6.2) reads and deletes in one step: a state can be redeemed once.
    const sealed = await this.guard.run((r) => r.getdel(this.prefix + key));
    return sealed === null ? undefined : openRecord(this.cipher, key, sealed, this.logger);
  }

  /** Writes a grant's upkeep entry (or takes it out), unless a later write got there first. */
  private indexUpkeep(
    r: RedisClient,
    ownerId: string,
    provider: string,
    g: string,
    version: number,
    due: number | undefined,
  ): Promise<unknown> {
    const name = UpkeepEntry.name(StoreKeys.sessionDigest(ownerId), provider);
    const owner = due === undefined ? '' : UpkeepEntry.sealOwner(this.cipher, name, ownerId);
    return UPKEEP_PUT.run(r, this.upkeep, [name, g, version, due ?? '', owner]);
  }

  /**
   * Runs an upkeep index update that follows a grant write or delete which has already happened:
   * a failure does not fail that call (on a cluster the index is one slot, whose outage must not
   * stop every login and refresh). A write whose entry was lost is upkept from its next write; an
   * entry a delete left is dropped when claimed. The first failure is reported, until one works.
   */
  private async aside(fn: (client: RedisClient) => Promise<unknown>): Promise<void> {
    try {
      await this.guard.run(fn);
      if (this.indexFailing) this.logger.warn('Redis token store upkeep index updates work again');
      this.indexFailing = false;
    } catch (err) {
      if (this.indexFailing) return;
      this.indexFailing = true;
      this.logger.warn(
        `Redis token store could not update its upkeep index (${describeRedisError((err as { cause?: unknown }).cause ?? err)}); grants written meanwhile are upkept from their next write`,
      );
    }
  }
}

/** A random generation of a grant incarnation (base64url: never a `:`). */
const generation = () => randomBytes(9).toString('base64url');

/** The end of a lease from `now` (a negative or NaN lease: none; Infinity: never due again). */
function leaseEnd(now: number, leaseMs: number): number {
  return now + (Number.isNaN(leaseMs) ? 0 : Math.max(0, leaseMs));
}
