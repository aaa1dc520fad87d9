import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { TokenLogger } from '../core/token-logger';
import { parseRedisClusterUrl } from './redis-cluster-url';

/** Per-connection settings shared with the single-server client. */
export type NodeConnectionOptions = Pick<
  RedisOptions,
  'maxRetriesPerRequest' | 'commandTimeout' | 'connectTimeout' | 'disconnectTimeout'
>;

/**
 * A fail-fast `Cluster` client for a `redis-cluster://` URL: no offline queue, a few short retries
 * while a slot's master is down or moving (then the command fails: 503), the same command timeout
 * and bounded reconnect backoff as the single-server client on every node connection.
 */
export function createClusterClient(
  ioredis: typeof import('ioredis'),
  url: string,
  connection: NodeConnectionOptions,
  retryStrategy: (attempt: number) => number,
): Cluster {
  const { nodes, username, password } = parseRedisClusterUrl(url);
  const options: ClusterOptions = {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: retryStrategy,
    clusterNodeRetryStrategy: retryStrategy,
    // ioredis' default is 16 redirections 100 ms apart: a dead master would hold every request
    // on its slots for 1.6 s before failing.
    maxRedirections: 3,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: connection.connectTimeout,
    redisOptions: { ...connection, username, password },
  };
  return new ioredis.Cluster(nodes, options);
}

/**
 * Reports a cluster node's outage once and its return once. The cluster as a whole stays `ready`
 * while one master is down (the other slots still work), so its own events do not say so.
 */
export function watchClusterNodes(
  cluster: Cluster,
  logger: TokenLogger,
  describe: (err: unknown) => string,
): void {
  const down = new Set<string>();
  cluster.on('node error', (err: unknown, address: string) => {
    if (down.has(address)) return;
    down.add(address);
    logger.warn(`Redis Cluster node ${address} failed (${describe(err)}); reconnecting`);
  });
  const watch = (node: Redis) => {
    const address = `${node.options.host}:${node.options.port}`;
    node.on('ready', () => {
      if (down.delete(address)) logger.warn(`Redis Cluster node ${address} restored`);
    });
  };
  for (const node of cluster.nodes()) watch(node);
  cluster.on('+node', watch);
}
