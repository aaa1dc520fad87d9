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
 * Versioned compare-and-set of a grant hash `{ v: version, d: sealed record, g: generation,
 * u: upkeepAt }`. The generation is random per incarnation of the grant (kept by every update,
 * new after a delete or an expiry), so that upkeep index writes of an older incarnation are told
 * apart; `u` (not secret) is the truth the upkeep index is checked against when it is claimed.
 * KEYS: grant, grant index. ARGV: expected version, new version, sealed record, ttl ms, provider,
 * upkeepAt ('' = none), a fresh generation.
 * Returns 0 when the stored version differs (another writer won), else `{generation, 1 when the
 * grant had an upkeepAt before this write, else 0}`.
 */
export const COMPARE_AND_SET_GRANT = new RedisScript(`
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
local had = redis.call('HEXISTS', KEYS[1], 'u')
local g = redis.call('HGET', KEYS[1], 'g')
if current == 0 or not g then g = ARGV[7] end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3], 'g', g)
if ARGV[6] == '' then redis.call('HDEL', KEYS[1], 'u') else redis.call('HSET', KEYS[1], 'u', ARGV[6]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return {g, had}
`);

/**
 * Deletes a grant and its entry in the session's grant index.
 * KEYS: grant, grant index. ARGV: provider.
 * Returns the grant's generation when it had an upkeepAt (its upkeep entry is to go), else nil.
 */
export const DELETE_GRANT = new RedisScript(`
local g = false
if redis.call('HEXISTS', KEYS[1], 'u') == 1 then g = redis.call('HGET', KEYS[1], 'g') end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return g
`);

/**
 * Deletes a session, every grant in its index, and the index.
 * KEYS: session, grant index. ARGV: key prefix of the session's grants (the provider id follows).
 * Returns `{1 when the session record existed else 0, provider, generation, …}`, listing the
 * deleted grants that had an upkeepAt (their upkeep entries are to go).
 */
export const DELETE_SESSION = new RedisScript(`
local out = {0}
for _, provider in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = ARGV[1] .. provider
  if redis.call('HEXISTS', key, 'u') == 1 then
    local g = redis.call('HGET', key, 'g')
    if g then
      out[#out + 1] = provider
      out[#out + 1] = g
    end
  end
  redis.call('DEL', key)
end
out[1] = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return out
`);

/**
 * Sets or clears a grant's upkeepAt (`u`) without touching its record or version.
 * KEYS: grant. ARGV: upkeepAt ('' = none), a fresh generation (for a grant written before grants
 * had one). Returns `{generation, version}`, or nil when the grant does not exist.
 */
export const RESCHEDULE_GRANT = new RedisScript(`
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return false end
local g = redis.call('HGET', KEYS[1], 'g')
if not g then
  g = ARGV[2]
  redis.call('HSET', KEYS[1], 'g', g)
end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'u') else redis.call('HSET', KEYS[1], 'u', ARGV[1]) end
return {g, v}
`);

/*
 * The upkeep index: a sorted set (entry name → upkeepAt) and a hash (entry name →
 * `<generation>:<version>:<sealed owner id>`), both under one hash tag so that every script below
 * runs on one Redis Cluster node. An entry name is `<owner digest>:<provider>`.
 */

/**
 * Indexes a grant's write under its upkeepAt, or takes it out (upkeepAt ''), unless the index
 * already holds a later version of the same incarnation (a write that landed first).
 * KEYS: due set, owners hash. ARGV: entry name, generation, version, upkeepAt or '', sealed owner.
 * Returns 1 when applied, 0 when a later write was already there.
 */
export const UPKEEP_PUT = new RedisScript(`
local cur = redis.call('HGET', KEYS[2], ARGV[1])
if cur then
  local g, v = string.match(cur, '^([^:]*):(%d+):')
  if g == ARGV[2] and tonumber(v) > tonumber(ARGV[3]) then return 0 end
end
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[5])
end
return 1
`);

/**
 * Takes deleted grants' entries out of the index, each only while it still names the deleted
 * incarnation (a grant written again since keeps its new entry).
 * KEYS: due set, owners hash. ARGV: entry name, generation, entry name, generation, …
 */
export const UPKEEP_FORGET = new RedisScript(`
for i = 1, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[2], ARGV[i])
  if (not cur) or string.match(cur, '^([^:]*):') == ARGV[i + 1] then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
  end
end
return 1
`);

/**
 * Claims up to `count` due entries, oldest first, moving each to the end of its lease in the same
 * step (concurrent claimers get different entries). An entry without its owner is dropped.
 * KEYS: due set, owners hash. ARGV: now, count, lease end.
 * Returns `{entry name, owners value, …}` in due order.
 */
export const UPKEEP_CLAIM = new RedisScript(`
local out = {}
for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])) do
  local owner = redis.call('HGET', KEYS[2], name)
  if owner then
    redis.call('ZADD', KEYS[1], ARGV[3], name)
    out[#out + 1] = name
    out[#out + 1] = owner
  else
    redis.call('ZREM', KEYS[1], name)
  end
end
return out
`);

/**
 * Settles claimed entries their grants disowned (gone, no upkeepAt any more, or due later): each
 * is dropped or moved, only while nobody has written it since the claim (same lease end, same
 * owners value).
 * KEYS: due set, owners hash. ARGV: entry name, lease end, owners value, new upkeepAt or ''
 * (drop), … in fours.
 */
export const UPKEEP_SETTLE = new RedisScript(`
for i = 1, #ARGV, 4 do
  local name = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[1], name)
  if score and tonumber(score) == tonumber(ARGV[i + 1])
    and redis.call('HGET', KEYS[2], name) == ARGV[i + 2] then
    if ARGV[i + 3] == '' then
      redis.call('ZREM', KEYS[1], name)
      redis.call('HDEL', KEYS[2], name)
    else
      redis.call('ZADD', KEYS[1], ARGV[i + 3], name)
    end
  end
end
return 1
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
