import type { Cipher } from '../tokens/crypto/cipher';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  checkKeyPrefix,
  closeRedis,
  resolveRedis,
  type RedisClient,
  type RedisConnectionOptions,
  type RedisSource,
} from './redis-connection';
import { RedisGuard } from './redis-guard';
import { COMPARE_AND_SET_GRANT, DELETE_SESSION, INDEX_SESSION } from './redis-scripts';
import { openRecord, sealRecord } from './record-codec';
import { StoreKeys } from './store-keys';
import type {
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
 */
export class RedisTokenStore implements TokenStore {
  /** The ioredis client (for health checks). */
  readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly guard: RedisGuard;
  private readonly cipher: Cipher;
  private readonly prefix: string;
  private readonly logger: TokenLogger;

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
    return (await this.guard.run((r) => DELETE_SESSION.run(r, keys, [grantPrefix]))) === 1;
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
    const args = [expectedVersion, written.version, sealed, ttlMs, provider];
    const ok = await this.guard.run((r) => COMPARE_AND_SET_GRANT.run(r, keys, args));
    return ok === 1 ? written : undefined;
  }

  async deleteGrant(sessionId: string, provider: string): Promise<void> {
    const grant = this.prefix + StoreKeys.grant(sessionId, provider);
    const index = this.prefix + StoreKeys.grantIndex(sessionId);
    await this.guard.run((r) => r.multi().del(grant).srem(index, provider).exec());
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
}
