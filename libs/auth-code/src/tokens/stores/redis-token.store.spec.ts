import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { KeyRing } from '../crypto/key-ring';
import type { TokenLogger } from '../token-logger';
import { RedisTokenStore } from './redis-token.store';
import { StoreKeys } from './store-keys';
import type { LoginTransaction, SessionRecord, StoredGrant } from './token-store.interface';

const URL = 'redis://127.0.0.1:6379';
const prefix = `auth-code-test:${randomUUID()}:`;
const k1 = randomBytes(32);
const k2 = randomBytes(32);

const profile = { provider: 'acme', id: 'user-1', email: 'alice@example.test' };
const grantOf = (accessToken: string): Omit<StoredGrant, 'version' | 'updatedAt'> => ({
  tokenSet: {
    accessToken,
    refreshToken: `refresh-${accessToken}`,
    idToken: `idtoken-${accessToken}`,
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3600_000,
  },
  profile,
});
const session = (id: string): SessionRecord => ({
  id,
  user: profile,
  providers: ['acme'],
  createdAt: 1,
});
const tx = (state: string): LoginTransaction => ({
  state,
  provider: 'acme',
  browserId: 'browser-1',
  codeVerifier: `verifier-${state}`,
  nonce: `nonce-${state}`,
  returnTo: '/',
  createdAt: 1,
});

function logs(): TokenLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

describe('RedisTokenStore (real Redis)', () => {
  const raw = new Redis(URL);
  const log = logs();
  const stores: RedisTokenStore[] = [];
  const make = (ring = new KeyRing([k1]), redis: string | Redis = URL) => {
    const store = new RedisTokenStore({ redis, cipher: ring, keyPrefix: prefix, logger: log });
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
  beforeEach(() => (log.lines.length = 0));

  it('round-trips a session with a TTL on the key', async () => {
    const store = make();
    const sid = id();
    await store.setSession(session(sid), 60_000);
    expect(await store.getSession(sid)).toEqual(session(sid));
    const ttl = await raw.pttl(prefix + StoreKeys.session(sid));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('no longer returns a session once Redis has expired it', async () => {
    const store = make();
    const sid = id();
    await store.setSession(session(sid), 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.getSession(sid)).toBeUndefined();
  });

  it('replaceSession rewrites a live session, sealed and with the new TTL, but never recreates a deleted one', async () => {
    const store = make();
    const sid = id();
    const key = prefix + StoreKeys.session(sid);
    await store.setSession(session(sid), 5_000);
    const changed = { ...session(sid), providers: [] };
    expect(await store.replaceSession(changed, 60_000)).toBe(true);
    expect(await store.getSession(sid)).toEqual(changed);
    expect(await raw.pttl(key)).toBeGreaterThan(5_000);
    expect(await raw.get(key)).not.toContain('user-1');

    await store.deleteSession(sid);
    expect(await store.replaceSession(session(sid), 60_000)).toBe(false);
    expect(await store.getSession(sid)).toBeUndefined();
    expect(await raw.exists(key)).toBe(0);
  });

  it('stores nothing readable: no token, session id, state, verifier or e-mail in raw values or keys', async () => {
    const store = make();
    const sid = id();
    const state = id();
    await store.setSession(session(sid), 60_000);
    await store.compareAndSetGrant(sid, 'acme', grantOf('AT-secret-123'), 0, 60_000);
    await store.putTransaction(tx(state), 60_000);
    const keys = await raw.keys(`${prefix}*`);
    let dump = keys.join('\n');
    for (const key of keys) {
      const type = await raw.type(key);
      if (type === 'string') dump += await raw.get(key);
      if (type === 'hash') dump += JSON.stringify(await raw.hgetall(key));
    }
    expect(dump.length).toBeGreaterThan(200);
    for (const secret of [
      'AT-secret-123',
      'refresh-AT',
      'idtoken-AT',
      sid,
      state,
      'verifier-',
      'nonce-',
      'alice@',
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('writes a grant only for the expected version, incrementing it', async () => {
    const store = make();
    const sid = id();
    expect(await store.compareAndSetGrant(sid, 'acme', grantOf('a1'), 0, 60_000)).toMatchObject({
      version: 1,
    });
    expect(await store.compareAndSetGrant(sid, 'acme', grantOf('x'), 0, 60_000)).toBeUndefined();
    expect(await store.compareAndSetGrant(sid, 'acme', grantOf('a2'), 1, 60_000)).toMatchObject({
      version: 2,
    });
    const read = await store.getGrant(sid, 'acme');
    expect(read).toMatchObject({ version: 2, tokenSet: { accessToken: 'a2' } });
  });

  it('lets exactly one of many concurrent writers on two connections win a version', async () => {
    const [a, b] = [make(), make()];
    const sid = id();
    await a.compareAndSetGrant(sid, 'acme', grantOf('v1'), 0, 60_000);
    const writes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).compareAndSetGrant(sid, 'acme', grantOf(`w${i}`), 1, 60_000),
      ),
    );
    const winners = writes.filter(Boolean);
    expect(winners).toHaveLength(1);
    expect((await b.getGrant(sid, 'acme'))!.tokenSet.accessToken).toBe(
      winners[0]!.tokenSet.accessToken,
    );
  });

  it('hands a transaction out once, even to two instances racing', async () => {
    const [a, b] = [make(), make()];
    const state = id();
    await a.putTransaction(tx(state), 60_000);
    const taken = await Promise.all([
      a.takeTransaction(state),
      b.takeTransaction(state),
      a.takeTransaction(state),
    ]);
    expect(taken.filter(Boolean)).toEqual([tx(state)]);
  });

  it('deletes a session with all its grants and leaves other sessions alone', async () => {
    const store = make();
    const [s1, s2] = [id(), id()];
    await store.setSession(session(s1), 60_000);
    await store.compareAndSetGrant(s1, 'acme', grantOf('a'), 0, 60_000);
    await store.compareAndSetGrant(s1, 'other', grantOf('b'), 0, 60_000);
    await store.compareAndSetGrant(s2, 'acme', grantOf('c'), 0, 60_000);
    await store.deleteSession(s1);
    expect(await store.getSession(s1)).toBeUndefined();
    expect(await store.getGrant(s1, 'acme')).toBeUndefined();
    expect(await store.getGrant(s1, 'other')).toBeUndefined();
    expect(await raw.exists(prefix + StoreKeys.grantIndex(s1))).toBe(0);
    expect((await store.getGrant(s2, 'acme'))!.tokenSet.accessToken).toBe('c');
  });

  it('deletes one grant and removes it from the session index', async () => {
    const store = make();
    const sid = id();
    await store.compareAndSetGrant(sid, 'acme', grantOf('a'), 0, 60_000);
    await store.compareAndSetGrant(sid, 'other', grantOf('b'), 0, 60_000);
    await store.deleteGrant(sid, 'acme');
    expect(await store.getGrant(sid, 'acme')).toBeUndefined();
    expect(await raw.smembers(prefix + StoreKeys.grantIndex(sid))).toEqual(['other']);
  });

  it('reads a session with one flipped byte as logged out and warns without secrets', async () => {
    const store = make();
    const sid = id();
    await store.setSession(session(sid), 60_000);
    const key = prefix + StoreKeys.session(sid);
    const value = Buffer.from((await raw.get(key))!);
    value[value.length - 5] = value[value.length - 5] === 0x41 ? 0x42 : 0x41;
    await raw.set(key, value);
    expect(await store.getSession(sid)).toBeUndefined();
    expect(log.lines).toEqual([expect.stringContaining('cannot be decrypted')]);
    expect(log.lines.join()).not.toContain(sid);
  });

  it('reads a tampered grant as undefined instead of crashing', async () => {
    const store = make();
    const sid = id();
    await store.compareAndSetGrant(sid, 'acme', grantOf('a'), 0, 60_000);
    const key = prefix + StoreKeys.grant(sid, 'acme');
    const value = (await raw.hget(key, 'd'))!;
    await raw.hset(
      key,
      'd',
      `${value.slice(0, 20)}${value[20] === 'x' ? 'y' : 'x'}${value.slice(21)}`,
    );
    expect(await store.getGrant(sid, 'acme')).toBeUndefined();
    expect(log.lines).toHaveLength(1);
  });

  it("does not accept a grant record copied under another session's key", async () => {
    const store = make();
    const [victim, attacker] = [id(), id()];
    await store.compareAndSetGrant(victim, 'acme', grantOf('victim-token'), 0, 60_000);
    await raw.copy(
      prefix + StoreKeys.grant(victim, 'acme'),
      prefix + StoreKeys.grant(attacker, 'acme'),
    );
    expect(await store.getGrant(attacker, 'acme')).toBeUndefined();
  });

  it('reads records written under key ring "1" after rotating to "2,1", and writes with key 2', async () => {
    const before = make(new KeyRing([k1]));
    const sid = id();
    await before.compareAndSetGrant(sid, 'acme', grantOf('kept'), 0, 60_000);
    const after = make(new KeyRing([k2, k1]));
    expect((await after.getGrant(sid, 'acme'))!.tokenSet.accessToken).toBe('kept');
    await after.compareAndSetGrant(sid, 'acme', grantOf('new'), 1, 60_000);
    const stored = await raw.hget(prefix + StoreKeys.grant(sid, 'acme'), 'd');
    expect(stored!.split('.')[1]).toBe(new KeyRing([k2]).keyIds[0]);
    expect(await make(new KeyRing([k1])).getGrant(sid, 'acme')).toBeUndefined();
  });

  it('works on a client it was given and leaves that client open on close', async () => {
    const client = new Redis(URL, { enableOfflineQueue: false });
    const store = new RedisTokenStore({
      redis: client,
      cipher: new KeyRing([k1]),
      keyPrefix: prefix,
      logger: log,
    });
    const sid = id();
    await store.setSession(session(sid), 60_000);
    await store.close();
    expect(await client.exists(prefix + StoreKeys.session(sid))).toBe(1);
    await client.quit();
  });

  it("uses the 'auth-code:' key prefix by default", async () => {
    const store = make();
    const plain = new RedisTokenStore({ redis: URL, cipher: new KeyRing([k1]), logger: log });
    const state = id();
    await plain.putTransaction(tx(state), 60_000);
    expect(await raw.exists(`auth-code:${StoreKeys.transaction(state)}`)).toBe(1);
    expect(await store.takeTransaction(state)).toBeUndefined();
    expect(await plain.takeTransaction(state)).toEqual(tx(state));
    await plain.close();
  });
});
