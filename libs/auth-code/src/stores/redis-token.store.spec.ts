import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { RedisTokenStore } from './redis-token.store';
import { StoreKeys } from './store-keys';
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
