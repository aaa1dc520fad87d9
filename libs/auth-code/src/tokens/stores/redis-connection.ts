import type { Redis } from 'ioredis';
import { loadOptional } from '../../core/optional-dependency';
import type { TokenLogger } from '../token-logger';

/** Connection options of the Redis store and lock, all about failing fast. */
export interface RedisConnectionOptions {
  /** A command that gets no answer fails after this long, in ms. @default 1000 */
  commandTimeoutMs?: number;
  /** Opening a TCP connection gives up after this long, in ms. @default 2000 */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts, in ms (backoff doubles from 50 ms). @default 1000 */
  maxReconnectDelayMs?: number;
}

/** A Redis client: a URL to connect to, or a client the caller owns and configures. */
export type RedisSource = string | Redis;

/**
 * Creates an ioredis client that never queues: while Redis is unreachable every command fails at
 * once (`enableOfflineQueue: false`), an unanswered command fails after `commandTimeoutMs`, and the
 * client keeps reconnecting in the background with a bounded backoff, so it recovers by itself.
 */
export function createRedisClient(url: string, options: RedisConnectionOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  // ioredis is an optional peer: loaded only now, when a Redis store is really configured.
  const { Redis: RedisClient } = loadOptional<typeof import('ioredis')>(
    'ioredis',
    'A Redis token store (AUTH_STORE=redis://…)',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
    () => require('ioredis'),
  );
  return new RedisClient(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // On disconnect ioredis waits this long for an already dead socket to close (default 2 s).
    disconnectTimeout: 200,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 10), maxDelay),
    // Commands issued in one event-loop turn (concurrent requests' session reads) go out in one
    // write instead of one socket write each.
    enableAutoPipelining: true,
  });
}

/** Clients {@link resolveRedis} already reports connection errors for. */
const watched = new WeakSet<Redis>();

/**
 * Resolves a {@link RedisSource}. A URL gets a fail-fast client owned by the caller of this
 * function (close it); a given client is used as it is. Either way connection errors are reported
 * once per outage through `logger` instead of ioredis' "unhandled error event" output; a client
 * resolved again (shared by a store and a lock) keeps the listeners of its first resolution.
 */
export function resolveRedis(
  source: RedisSource,
  options: RedisConnectionOptions,
  logger: TokenLogger,
): { client: Redis; owned: boolean } {
  const owned = typeof source === 'string';
  const client = owned ? createRedisClient(source, options) : source;
  // A client shared by the store and the lock is watched once: one warning per outage, not two.
  if (watched.has(client)) return { client, owned };
  watched.add(client);
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis token store connection failed (${describeRedisError(err)}); reconnecting`);
  });
  client.on('ready', () => {
    if (down) logger.warn('Redis token store connection restored');
    down = false;
  });
  return { client, owned };
}

/** A short reason for a Redis failure that names no key and no value. */
export function describeRedisError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e?.code) return e.code;
  const message = e?.message ?? String(err);
  if (message.includes('enableOfflineQueue')) return 'not connected';
  if (message.includes('timed out')) return 'no answer in time';
  return message.slice(0, 120);
}

/** Closes a client: QUIT when connected, else stop reconnecting and drop the socket at once. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through: the connection broke while quitting
    }
  }
  client.disconnect();
}
