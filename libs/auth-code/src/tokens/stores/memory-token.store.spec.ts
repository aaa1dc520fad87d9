import { DecryptionError, type Cipher } from '../crypto/cipher';
import { KeyRing } from '../crypto/key-ring';
import type { TokenLogger } from '../token-logger';
import { MemoryTokenLock } from './memory-token.lock';
import { MemoryTokenStore } from './memory-token.store';
import type { LoginTransaction, SessionRecord, StoredGrant } from './token-store.interface';

const profile = { provider: 'acme', id: 'user-1' };
const grantOf = (accessToken: string): Omit<StoredGrant, 'version' | 'updatedAt'> => ({
  tokenSet: {
    accessToken,
    refreshToken: `r-${accessToken}`,
    tokenType: 'Bearer',
    expiresAt: 5_000,
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
  browserId: 'b',
  returnTo: '/',
  createdAt: 1,
});

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function logs(): TokenLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

describe('MemoryTokenStore', () => {
  let c: ReturnType<typeof clock>;
  let store: MemoryTokenStore;
  beforeEach(() => {
    c = clock();
    store = new MemoryTokenStore(KeyRing.ephemeral(), { now: c.now, sweepIntervalMs: 0 });
  });

  it('hides a session once its TTL has passed and sweeps it', async () => {
    await store.setSession(session('s1'), 1000);
    c.advance(999);
    expect(await store.getSession('s1')).toEqual(session('s1'));
    await store.setSession(session('s2'), 1000);
    c.advance(1);
    expect(await store.getSession('s1')).toBeUndefined();
    c.advance(1000);
    expect(store.sweep()).toBe(1);
    expect(store.stats().records).toBe(0);
  });

  it('hands out read-only sessions, so a caller cannot change the store through a result', async () => {
    const written = session('s1');
    await store.setSession(written, 1000);
    written.providers.push('after-write');
    const read = (await store.getSession('s1'))!;
    expect(() => read.providers.push('evil')).toThrow(/not extensible/);
    expect(() => Object.assign(read.user, { id: 'evil' })).toThrow(/read only/);
    expect((await store.getSession('s1'))!).toEqual(session('s1'));
  });

  it('replaceSession rewrites a live session with the new TTL but never recreates a deleted one', async () => {
    await store.setSession(session('s1'), 1000);
    const changed = { ...session('s1'), providers: [] };
    expect(await store.replaceSession(changed, 5000)).toBe(true);
    c.advance(4000);
    expect(await store.getSession('s1')).toEqual(changed);

    await store.deleteSession('s1');
    expect(await store.replaceSession(session('s1'), 5000)).toBe(false);
    expect(await store.getSession('s1')).toBeUndefined();
    c.advance(5000);
    expect(await store.replaceSession(session('never'), 5000)).toBe(false);
    expect(await store.getSession('never')).toBeUndefined();
  });

  it('returns grant copies, so a caller mutating a result does not change the store', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 1000);
    const read = (await store.getGrant('s1', 'acme'))!;
    read.tokenSet.accessToken = 'evil';
    expect((await store.getGrant('s1', 'acme'))!.tokenSet.accessToken).toBe('a');
  });

  it('stores values encrypted with the cipher it was given', async () => {
    const seen: string[] = [];
    const ring = KeyRing.ephemeral();
    const spy: Cipher = {
      encrypt: (p) => {
        const out = ring.encrypt(p);
        seen.push(out);
        return out;
      },
      decrypt: (x) => ring.decrypt(x),
    };
    const s = new MemoryTokenStore(spy, { sweepIntervalMs: 0 });
    await s.compareAndSetGrant('s1', 'acme', grantOf('secret-access'), 0, 1000);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain('secret-access');
    expect((await s.getGrant('s1', 'acme'))!.tokenSet.accessToken).toBe('secret-access');
  });

  it('reads a record that fails to decrypt as undefined and warns without secrets', async () => {
    const log = logs();
    const broken: Cipher = {
      encrypt: (p) => p,
      decrypt: () => {
        throw new DecryptionError('tampered', 'nope');
      },
    };
    const s = new MemoryTokenStore(broken, { sweepIntervalMs: 0, logger: log });
    await s.compareAndSetGrant('s1', 'acme', grantOf('secret-access'), 0, 1000);
    expect(await s.getGrant('s1', 'acme')).toBeUndefined();
    expect(log.lines).toEqual([expect.stringContaining('tampered')]);
    expect(log.lines.join()).not.toMatch(/secret-access|s1/);
  });

  it('evicts the oldest session beyond maxSessions, and its grants with it', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), { maxSessions: 2, sweepIntervalMs: 0 });
    for (const id of ['a', 'b', 'c']) {
      await s.compareAndSetGrant(id, 'acme', grantOf(id), 0, 10_000);
      await s.setSession(session(id), 10_000);
    }
    expect(await s.getSession('a')).toBeUndefined();
    expect(await s.getGrant('a', 'acme')).toBeUndefined();
    expect(await s.getSession('b')).toBeDefined();
    expect(await s.getGrant('b', 'acme')).toBeDefined();
    expect(await s.getSession('c')).toBeDefined();
    expect(s.stats()).toMatchObject({ sessions: 2, grants: 2, indexedSessions: 2 });
  });

  it('never evicts a session or a grant for login transactions, however many', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), {
      maxSessions: 10,
      maxGrants: 10,
      maxTransactions: 5,
      sweepIntervalMs: 0,
    });
    await s.setSession(session('live'), 60_000);
    await s.compareAndSetGrant('live', 'acme', grantOf('kept'), 0, 60_000);
    for (let i = 0; i < 1000; i++) await s.putTransaction(tx(`st${i}`), 60_000);
    expect(await s.getSession('live')).toEqual(session('live'));
    expect((await s.getGrant('live', 'acme'))!.tokenSet.accessToken).toBe('kept');
    expect(s.stats()).toMatchObject({ sessions: 1, grants: 1, transactions: 5 });
    // the oldest transactions went, the newest stay
    expect(await s.takeTransaction('st0')).toBeUndefined();
    expect(await s.takeTransaction('st999')).toEqual(tx('st999'));
  });

  it('reads the deprecated maxEntries as the default of every limit', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), { maxEntries: 2, sweepIntervalMs: 0 });
    for (const id of ['a', 'b', 'c']) await s.setSession(session(id), 10_000);
    for (const id of ['a', 'b', 'c']) await s.putTransaction(tx(id), 10_000);
    expect(await s.getSession('a')).toBeUndefined();
    expect(s.stats()).toMatchObject({ sessions: 2, transactions: 2 });
  });

  it('stays bounded under churn, grant index included', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), {
      maxSessions: 50,
      maxGrants: 60,
      maxTransactions: 20,
      sweepIntervalMs: 0,
    });
    for (let i = 0; i < 2000; i++) {
      await s.setSession(session(`s${i}`), 60_000);
      await s.compareAndSetGrant(`s${i}`, 'acme', grantOf(`t${i}`), 0, 60_000);
      await s.compareAndSetGrant(`s${i}`, 'other', grantOf(`u${i}`), 0, 60_000);
      await s.putTransaction(tx(`st${i}`), 60_000);
    }
    expect(s.stats()).toMatchObject({ sessions: 50, grants: 60, transactions: 20 });
    expect(s.stats().indexedSessions).toBeLessThanOrEqual(50);
    expect((await s.getGrant('s1999', 'other'))!.tokenSet.accessToken).toBe('u1999');
  });

  it('forgets the grant index of expired grants when swept', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 100);
    c.advance(200);
    store.sweep();
    expect(store.stats()).toMatchObject({ records: 0, indexedSessions: 0 });
  });

  it('hands a transaction out once', async () => {
    await store.putTransaction(tx('st'), 1000);
    const results = await Promise.all([store.takeTransaction('st'), store.takeTransaction('st')]);
    expect(results.filter(Boolean)).toEqual([tx('st')]);
    expect(await store.takeTransaction('st')).toBeUndefined();
  });

  it('does not hand out an expired transaction', async () => {
    await store.putTransaction(tx('st'), 1000);
    c.advance(1000);
    expect(await store.takeTransaction('st')).toBeUndefined();
  });

  it('writes a grant only when the expected version matches, incrementing it', async () => {
    const first = await store.compareAndSetGrant('s1', 'acme', grantOf('a1'), 0, 1000);
    expect(first).toMatchObject({ version: 1, updatedAt: c.now() });
    expect(await store.compareAndSetGrant('s1', 'acme', grantOf('x'), 0, 1000)).toBeUndefined();
    const second = await store.compareAndSetGrant('s1', 'acme', grantOf('a2'), 1, 1000);
    expect(second!.version).toBe(2);
    expect(await store.compareAndSetGrant('s1', 'acme', grantOf('x'), 1, 1000)).toBeUndefined();
    expect((await store.getGrant('s1', 'acme'))!.tokenSet.accessToken).toBe('a2');
  });

  it('lets exactly one of many concurrent writers with the same version win', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a1'), 0, 1000);
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.compareAndSetGrant('s1', 'acme', grantOf(`w${i}`), 1, 1000),
      ),
    );
    expect(writes.filter(Boolean)).toHaveLength(1);
  });

  it('treats an expired grant as version 0', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a1'), 0, 100);
    c.advance(100);
    expect((await store.compareAndSetGrant('s1', 'acme', grantOf('a2'), 0, 100))!.version).toBe(1);
  });

  it('deletes a session together with every grant it holds, and only those', async () => {
    await store.setSession(session('s1'), 1000);
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 1000);
    await store.compareAndSetGrant('s1', 'other', grantOf('b'), 0, 1000);
    await store.compareAndSetGrant('s2', 'acme', grantOf('c'), 0, 1000);
    await store.deleteSession('s1');
    expect(await store.getSession('s1')).toBeUndefined();
    expect(await store.getGrant('s1', 'acme')).toBeUndefined();
    expect(await store.getGrant('s1', 'other')).toBeUndefined();
    expect((await store.getGrant('s2', 'acme'))!.tokenSet.accessToken).toBe('c');
  });

  it('deletes one grant', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 1000);
    await store.deleteGrant('s1', 'acme');
    expect(await store.getGrant('s1', 'acme')).toBeUndefined();
  });
});

describe('MemoryTokenLock', () => {
  it('gives a key to one owner at a time', async () => {
    const lock = new MemoryTokenLock();
    const owners = await Promise.all(Array.from({ length: 10 }, () => lock.acquire('k', 1000)));
    expect(owners.filter(Boolean)).toHaveLength(1);
  });

  it('releases only for the owner', async () => {
    const lock = new MemoryTokenLock();
    const owner = (await lock.acquire('k', 1000))!;
    await lock.release('k', 'someone-else');
    expect(await lock.acquire('k', 1000)).toBeUndefined();
    await lock.release('k', owner);
    expect(await lock.acquire('k', 1000)).toEqual(expect.any(String));
  });

  it('frees a lock whose TTL has passed', async () => {
    const c = clock();
    const lock = new MemoryTokenLock({ now: c.now });
    const first = await lock.acquire('k', 1000);
    c.advance(1000);
    const second = await lock.acquire('k', 1000);
    expect(second).toEqual(expect.any(String));
    await lock.release('k', first!);
    expect(await lock.acquire('k', 1000)).toBeUndefined();
  });

  it('stays bounded when locks are never released', async () => {
    const c = clock();
    const lock = new MemoryTokenLock({ now: c.now, maxLocks: 100 });
    for (let i = 0; i < 1000; i++) {
      await lock.acquire(`k${i}`, 10);
      c.advance(10);
    }
    expect(lock.size).toBeLessThanOrEqual(100);
  });
});
