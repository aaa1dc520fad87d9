import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection';

/** A Lua script sent by SHA (EVALSHA), loaded again when Redis has forgotten it. */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` and `args`. */
  async run(client: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Versioned compare-and-set of a grant hash `{ v: version, d: sealed record }`.
 * KEYS: grant, grant index. ARGV: expected version, new version, sealed record, ttl ms, provider.
 * Returns 1 when written, 0 when the stored version differs (another writer won).
 */
export const COMPARE_AND_SET_GRANT = new RedisScript(`
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return 1
`);

/**
 * Deletes a session, every grant in its index, and the index.
 * KEYS: session, grant index. ARGV: key prefix of the session's grants (the provider id follows).
 * Returns 1 when the session record existed, else 0.
 */
export const DELETE_SESSION = new RedisScript(`
for _, provider in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('DEL', ARGV[1] .. provider)
end
local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return existed
`);

/**
 * Adds a session digest to a session index (a sorted set scored by the session's expiry), forgets
 * the expired ones, and keeps the set as long as its longest-lived session.
 * KEYS: index. ARGV: now (ms), session expiry (ms), session digest.
 */
export const INDEX_SESSION = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`);

/** Deletes a lock only while it still holds `owner`. KEYS: lock. ARGV: owner. */
export const RELEASE_LOCK = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
