import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/** Scheme of a Redis Cluster store URL. */
export const REDIS_CLUSTER_SCHEME = 'redis-cluster://';

/** Longest Redis Cluster URL read; a longer one is refused before any parsing. */
const MAX_URL_LENGTH = 4096;
/** Most seed nodes in one URL. */
const MAX_NODES = 64;
/** `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const NODE = /^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/;

/** The seed nodes and credentials of a Redis Cluster, read from its URL. */
export interface RedisClusterAddress {
  /** Seed nodes; the client discovers the rest of the cluster from any of them. */
  nodes: Array<{ host: string; port: number }>;
  /** ACL user name, when the URL has one. */
  username?: string;
  /** Password, when the URL has one. */
  password?: string;
}

/** Whether `url` names a Redis Cluster (`redis-cluster://…`). */
export function isRedisClusterUrl(url: string): boolean {
  return url.startsWith(REDIS_CLUSTER_SCHEME);
}

/**
 * Reads `redis-cluster://[user[:password]@]host:port[,host:port…][/]`. Throws
 * {@link ConfigurationError} naming what is wrong, never echoing the credentials.
 */
export function parseRedisClusterUrl(url: string): RedisClusterAddress {
  if (url.length > MAX_URL_LENGTH) throw invalid('it is too long');
  if (!isRedisClusterUrl(url)) throw invalid('it does not start with redis-cluster://');
  const rest = url.slice(REDIS_CLUSTER_SCHEME.length).replace(/\/$/, '');
  const at = rest.lastIndexOf('@');
  const hosts = (at === -1 ? rest : rest.slice(at + 1)).split(',');
  if (hosts.length > MAX_NODES) throw invalid(`it names more than ${MAX_NODES} nodes`);
  const nodes = hosts.map((entry, i) => {
    const m = NODE.exec(entry.trim());
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) throw invalid(`node ${i + 1} is not host:port`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
  return { nodes, ...credentials(at === -1 ? undefined : rest.slice(0, at)) };
}

function credentials(userinfo: string | undefined): { username?: string; password?: string } {
  if (userinfo === undefined) return {};
  const colon = userinfo.indexOf(':');
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      throw invalid('its user or password is not URL-encoded correctly');
    }
  };
  const username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function invalid(why: string): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    operation: 'config',
    message: Messages.redisClusterUrlInvalid(why),
  });
}
