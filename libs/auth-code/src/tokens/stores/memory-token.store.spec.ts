import { KeyRing } from '../crypto/key-ring';
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

  it('evicts the oldest records beyond maxEntries', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), { maxEntries: 2, sweepIntervalMs: 0 });
    await s.setSession(session('a'), 10_000);
    await s.setSession(session('b'), 10_000);
    await s.setSession(session('c'), 10_000);
    expect(await s.getSession('a')).toBeUndefined();
    expect(await s.getSession('b')).toBeDefined();
    expect(await s.getSession('c')).toBeDefined();
  });

  it('stays bounded under churn, grant index included', async () => {
    const s = new MemoryTokenStore(KeyRing.ephemeral(), { maxEntries: 50, sweepIntervalMs: 0 });
    for (let i = 0; i < 2000; i++) {
      await s.setSession(session(`s${i}`), 60_000);
      await s.compareAndSetGrant(`s${i}`, 'acme', grantOf(`t${i}`), 0, 60_000);
      await s.compareAndSetGrant(`s${i}`, 'other', grantOf(`u${i}`), 0, 60_000);
      await s.putTransaction(tx(`st${i}`), 60_000);
    }
    expect(s.stats().records).toBe(50);
    expect(s.stats().indexedSessions).toBeLessThanOrEqual(50);
    expect((await s.getGrant('s1999', 'other'))!.tokenSet.accessToken).toBe('u1999');
  });

  it('forgets the grant index of expired grants when swept', async () => {
    await store.compareAndSetGrant('s1', 'acme', grantOf('a'), 0, 100);
    c.advance(200);
    store.sweep();
    expect(store.stats()).toEqual({ records: 0, indexedSessions: 0 });
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
