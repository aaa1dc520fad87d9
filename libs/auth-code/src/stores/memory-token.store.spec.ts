import { KeyRing } from '../tokens/crypto/key-ring';
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

/**
 * What only the memory store does: its clock, frozen sessions, copies, size bounds, sweeping. What
 * every store does is in test/stores (the contract suite).
 */
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

  it('returns grant copies, so a caller mutating a result does not change the store', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 1000);
    const read = (await store.getGrant('s1', 'acme'))!;
    read.tokenSet.accessToken = 'evil';
    expect((await store.getGrant('s1', 'acme'))!.tokenSet.accessToken).toBe('a');
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
});

describe('MemoryTokenLock', () => {
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
