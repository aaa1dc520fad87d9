import { randomUUID } from 'node:crypto';
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
import { RELEASE_LOCK } from './redis-scripts';
import type { TokenLock } from './token-store.interface';

/** Options of {@link RedisTokenLock}. */
export interface RedisTokenLockOptions extends RedisConnectionOptions {
  /** A Redis or Redis Cluster URL, or an ioredis `Redis` or `Cluster` you own and configure. */
  redis: RedisSource;
  /** Prefix of every lock key. @default 'auth-code:lock:' */
  keyPrefix?: string;
  /** How long the first call waits for the initial connection, in ms. @default 2000 */
  startupWaitMs?: number;
  /** Receives connection warnings. @default console */
  logger?: TokenLogger;
}

/**
 * A {@link TokenLock} shared by every instance: `SET key owner NX PX ttl` to take it, a Lua
 * compare-and-delete to release it, so a holder whose TTL ran out cannot release its successor's
 * lock. Fails with `store_unavailable` (503) when Redis is unreachable.
 */
export class RedisTokenLock implements TokenLock {
  /** The ioredis client. */
  readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly guard: RedisGuard;
  private readonly prefix: string;

  constructor(options: RedisTokenLockOptions) {
    const logger = options.logger ?? consoleTokenLogger;
    this.prefix = checkKeyPrefix(options.redis, options.keyPrefix ?? 'auth-code:lock:');
    ({ client: this.client, owned: this.owned } = resolveRedis(options.redis, options, logger));
    this.guard = new RedisGuard(this.client, options.startupWaitMs ?? 2000);
  }

  /** Closes the connection when this lock created it (from a URL). */
  async close(): Promise<void> {
    if (this.owned) await closeRedis(this.client);
  }

  async acquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomUUID();
    const ok = await this.guard.run((r) => r.set(this.prefix + key, owner, 'PX', ttlMs, 'NX'));
    return ok === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.guard.run((r) => RELEASE_LOCK.run(r, [this.prefix + key], [owner]));
  }
}
