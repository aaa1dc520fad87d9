import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { UPKEEP_PUT } from './redis-scripts';
import { RedisTokenStore } from './redis-token.store';
import { StoreKeys } from './store-keys';
import { UpkeepEntry } from './upkeep-entry';
import type { LoginTransaction, SessionRecord, StoredGrant } from './token-store.interface';

const URL = 'redis://127.0.0.1:6379';
const prefix = `auth-code-test:${randomUUID()}:`;
const ring = new KeyRing([randomBytes(32)]);
const quiet: TokenLogger = { warn: () => undefined };

const profile = { provider: 'acme', id: 'user-1', email: 'alice@example.test' };
const grantOf = (accessToken: string): Omit<StoredGrant, 'version' | 'updatedAt'> => ({
  tokenSet: { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3600_000 },
  profile,
});
const session = (id: string): SessionRecord => ({ id, user: profile, providers: [], createdAt: 1 });
const tx = (state: string): LoginTransaction => ({
  state,
  provider: 'acme',
  browserId: 'browser-1',
  returnTo: '/',
  createdAt: 1,
});

/**
 * What only the Redis store does: key TTLs, the grant index, the key prefix, a given client. What
 * every store does is in test/stores (the contract suite, which also runs on Redis Cluster).
 */
describe('RedisTokenStore (real Redis)', () => {
  const raw = new Redis(URL);
  const stores: RedisTokenStore[] = [];
  const make = () => {
    const store = new RedisTokenStore({
      redis: URL,
      cipher: ring,
      keyPrefix: prefix,
      logger: quiet,
    });
    stores.push(store);
    return store;
  };
  const id = () => randomBytes(32).toString('base64url');

  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await Promise.all(stores.map((s) => s.close()));
    await raw.quit();
  });

  it('leaves expiry to Redis: the session key carries the TTL, replaceSession sets the new one', async () => {
    const store = make();
    const sid = id();
    const key = prefix + StoreKeys.session(sid);
    await store.setSession(session(sid), 5_000);
    const ttl = await raw.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await store.replaceSession(session(sid), 60_000)).toBe(true);
    expect(await raw.pttl(key)).toBeGreaterThan(5_000);
  });

  it('keeps the index of a session’s grants in step: deleteGrant removes its entry, deleteSession the index', async () => {
    const store = make();
    const sid = id();
    await store.compareAndSetGrant(sid, 'acme', grantOf('a'), 0, 60_000);
    await store.compareAndSetGrant(sid, 'other', grantOf('b'), 0, 60_000);
    const index = prefix + StoreKeys.grantIndex(sid);
    expect((await raw.smembers(index)).sort()).toEqual(['acme', 'other']);
    expect(await raw.pttl(index)).toBeGreaterThan(0);
    await store.deleteGrant(sid, 'acme');
    expect(await raw.smembers(index)).toEqual(['other']);
    await store.deleteSession(sid);
    expect(await raw.exists(index, prefix + StoreKeys.grant(sid, 'other'))).toBe(0);
  });

  describe('upkeep index', () => {
    const due = prefix + 'upkeep:{upkeep}:due';
    const owners = prefix + 'upkeep:{upkeep}:owners';
    const entry = (sid: string, provider = 'acme') =>
      UpkeepEntry.name(StoreKeys.sessionDigest(sid), provider);
    const withUpkeep = (upkeepAt: number | undefined) => ({ ...grantOf('u'), upkeepAt });
    // far from real time and from each other: the index is shared by every test of this file
    let window = 7e12;
    const next = () => (window -= 1e10);

    it('costs nothing when upkeep is never used: grants without upkeepAt make no index keys', async () => {
      const plain = new RedisTokenStore({
        redis: URL,
        cipher: ring,
        keyPrefix: `${prefix}plain:`,
        logger: quiet,
      });
      stores.push(plain);
      const sid = id();
      await plain.compareAndSetGrant(sid, 'acme', grantOf('a'), 0, 60_000);
      await plain.compareAndSetGrant(sid, 'acme', grantOf('b'), 1, 60_000);
      await plain.deleteSession(sid);
      expect(await raw.keys(`${prefix}plain:upkeep:*`)).toEqual([]);
    });

    it('takes the entries of deleted grants and sessions out at once, not only when claimed', async () => {
      const store = make();
      const w = next();
      const [s1, s2] = [id(), id()];
      await store.compareAndSetGrant(s1, 'acme', withUpkeep(w + 10), 0, 60_000);
      await store.compareAndSetGrant(s2, 'acme', withUpkeep(w + 10), 0, 60_000);
      await store.compareAndSetGrant(s2, 'other', withUpkeep(w + 10), 0, 60_000);
      expect(await raw.zscore(due, entry(s1))).toBe(String(w + 10));
      await store.deleteGrant(s1, 'acme');
      await store.deleteSession(s2);
      for (const name of [entry(s1), entry(s2), entry(s2, 'other')]) {
        expect(await raw.zscore(due, name)).toBeNull();
        expect(await raw.hget(owners, name)).toBeNull();
      }
    });

    it('checks claimed entries against their grants: a grant due later moves its entry, a gone one drops it', async () => {
      const store = make();
      const w = next();
      const [later, gone, fine] = [id(), id(), id()];
      for (const sid of [later, gone, fine]) {
        await store.compareAndSetGrant(sid, 'acme', withUpkeep(w + 10), 0, 60_000);
      }
      // the grant says later than its entry (an index write that never landed), another grant is
      // gone without its entry (a crash between the two commands)
      await raw.hset(prefix + StoreKeys.grant(later, 'acme'), 'u', String(w + 5000));
      await raw.del(prefix + StoreKeys.grant(gone, 'acme'));
      expect(await store.claimDueGrants(w + 100, 10, 60_000)).toEqual([
        { ownerId: fine, provider: 'acme' },
      ]);
      expect(await raw.zscore(due, entry(later))).toBe(String(w + 5000));
      expect(await raw.zscore(due, entry(gone))).toBeNull();
      expect(await raw.hget(owners, entry(gone))).toBeNull();
      expect(await store.claimDueGrants(w + 5000, 10, 1000)).toEqual([
        { ownerId: later, provider: 'acme' },
      ]);
    });

    it('lets no late index write of an older version win over a newer one', async () => {
      const store = make();
      const w = next();
      const sid = id();
      await store.compareAndSetGrant(sid, 'acme', withUpkeep(w + 10), 0, 60_000);
      await store.compareAndSetGrant(sid, 'acme', withUpkeep(w + 900), 1, 60_000);
      const [generation] = (await raw.hget(owners, entry(sid)))!.split(':');
      // version 1's index write, arriving after version 2's
      const late = [entry(sid), generation, 1, w + 10, 'x'];
      expect(await UPKEEP_PUT.run(raw, [due, owners], late)).toBe(0);
      expect(await raw.zscore(due, entry(sid))).toBe(String(w + 900));
      // a new incarnation (deleted, written again: versions start over) is not "older"
      await store.deleteGrant(sid, 'acme');
      await store.compareAndSetGrant(sid, 'acme', withUpkeep(w + 20), 0, 60_000);
      expect(await raw.zscore(due, entry(sid))).toBe(String(w + 20));
      expect(await store.claimDueGrants(w + 20, 10, 1000)).toEqual([
        { ownerId: sid, provider: 'acme' },
      ]);
    });
  });

  it('works on a client it was given and leaves that client open on close', async () => {
    const client = new Redis(URL, { enableOfflineQueue: false });
    const store = new RedisTokenStore({
      redis: client,
      cipher: ring,
      keyPrefix: prefix,
      logger: quiet,
    });
    const sid = id();
    await store.setSession(session(sid), 60_000);
    await store.close();
    expect(await client.exists(prefix + StoreKeys.session(sid))).toBe(1);
    await client.quit();
  });

  it("uses the 'auth-code:' key prefix by default", async () => {
    const store = make();
    const plain = new RedisTokenStore({ redis: URL, cipher: ring, logger: quiet });
    const state = id();
    await plain.putTransaction(tx(state), 60_000);
    expect(await raw.exists(`auth-code:${StoreKeys.transaction(state)}`)).toBe(1);
    expect(await store.takeTransaction(state)).toBeUndefined();
    expect(await plain.takeTransaction(state)).toEqual(tx(state));
    await plain.close();
  });
});
