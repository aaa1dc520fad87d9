import type { Cluster, Redis } from 'ioredis';
import { loadOptional } from '../core/optional-dependency';
import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import type { TokenLogger } from '../core/token-logger';
import { createClusterClient, watchClusterNodes } from './redis-cluster-connection';
import { isRedisClusterUrl } from './redis-cluster-url';

/** Connection options of the Redis store and lock, all about failing fast. */
export interface RedisConnectionOptions {
  /** A command that gets no answer fails after this long, in ms. @default 1000 */
  commandTimeoutMs?: number;
  /** Opening a TCP connection gives up after this long, in ms. @default 2000 */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts, in ms (backoff doubles from 50 ms). @default 1000 */
  maxReconnectDelayMs?: number;
}

/** An ioredis client: one Redis server, or a Redis Cluster. The store and lock work on either. */
export type RedisClient = Redis | Cluster;

/**
 * A Redis client: a URL to connect to (`redis://`, `rediss://`, `redis-cluster://h:p,h:p`), or a
 * client (`Redis` or `Cluster`) the caller owns and configures.
 */
export type RedisSource = string | RedisClient;

/**
 * Creates an ioredis client that never queues: while Redis is unreachable every command fails at
 * once (`enableOfflineQueue: false`), an unanswered command fails after `commandTimeoutMs`, and the
 * client keeps reconnecting in the background with a bounded backoff, so it recovers by itself.
 * A `redis-cluster://` URL gets a `Cluster` client with the same rules on every node connection.
 */
export function createRedisClient(url: string, options: RedisConnectionOptions = {}): RedisClient {
  const cluster = isRedisClusterUrl(url);
  // ioredis is an optional peer: loaded only now, when a Redis store is really configured.
  const ioredis = loadOptional<typeof import('ioredis')>(
    'ioredis',
    cluster
      ? 'A Redis Cluster token store (AUTH_STORE=redis-cluster://…)'
      : 'A Redis token store (AUTH_STORE=redis://…)',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
    () => require('ioredis'),
  );
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const retryStrategy = (attempt: number) =>
    Math.min(50 * 2 ** Math.min(attempt - 1, 10), maxDelay);
  const connection = {
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // On disconnect ioredis waits this long for an already dead socket to close (default 2 s).
    disconnectTimeout: 200,
  };
  if (cluster) return createClusterClient(ioredis, url, connection, retryStrategy);
  return new ioredis.Redis(url, {
    ...connection,
    enableOfflineQueue: false,
    retryStrategy,
    // Commands issued in one event-loop turn (concurrent requests' session reads) go out in one
    // write instead of one socket write each.
    enableAutoPipelining: true,
  });
}

/** Clients {@link resolveRedis} already reports connection errors for. */
const watched = new WeakSet<RedisClient>();

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
): { client: RedisClient; owned: boolean } {
  const owned = typeof source === 'string';
  const client = owned ? createRedisClient(source, options) : source;
  // A client shared by the store and the lock is watched once: one warning per outage, not two.
  if (watched.has(client)) return { client, owned };
  watched.add(client);
  const what = client.isCluster ? 'Redis Cluster' : 'Redis';
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(`${what} token store connection failed (${describeRedisError(err)}); reconnecting`);
  });
  client.on('ready', () => {
    if (down) logger.warn(`${what} token store connection restored`);
    down = false;
  });
  if (client.isCluster) watchClusterNodes(client as Cluster, logger, describeRedisError);
  return { client, owned };
}

/**
 * Checks a key prefix for Redis Cluster (a `redis-cluster://` URL or a `Cluster` client): a `{` or
 * `}` in it would become the hash tag of every key, moving all sessions into one slot (one node),
 * so it is refused at start-up, before any connection is opened.
 */
export function checkKeyPrefix(source: RedisSource, prefix: string): string {
  const cluster = typeof source === 'string' ? isRedisClusterUrl(source) : source.isCluster;
  if (cluster && /[{}]/.test(prefix)) {
    throw new ConfigurationError({
      code: 'invalid_config',
      operation: 'config',
      message: Messages.storeKeyPrefixBraces(),
    });
  }
  return prefix;
}

/** A short reason for a Redis failure that names no key and no value. */
export function describeRedisError(err: unknown): string {
  const e = err as { code?: string; message?: string; lastNodeError?: unknown };
  if (e?.lastNodeError) return describeRedisError(e.lastNodeError);
  if (e?.code) return e.code;
  const message = e?.message ?? String(err);
  if (
    message.includes('enableOfflineQueue') ||
    message.includes('Connection is closed') ||
    message.includes('max retries per request')
  ) {
    return 'not connected';
  }
  if (message.includes('timed out')) return 'no answer in time';
  if (message.startsWith('CLUSTERDOWN')) return 'cluster down';
  if (message.includes('Too many Cluster redirections')) return 'cluster slot unavailable';
  return message.slice(0, 120);
}

/**
 * Closes a client: QUIT when connected, else stop reconnecting and drop the socket at once. Resolves
 * once the client has ended (a cluster's node connections close after its QUIT resolves), at most
 * a second later.
 */
export async function closeRedis(client: RedisClient): Promise<void> {
  const ended = new Promise<void>((resolve) => {
    if (client.status === 'end') return resolve();
    const timer = setTimeout(resolve, 1000).unref();
    client.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (client.status === 'ready') {
    try {
      await client.quit();
      return await ended;
    } catch {
      // fall through: the connection broke while quitting
    }
  }
  client.disconnect();
  await ended;
}
