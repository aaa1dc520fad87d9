import { grantOf, newId, session, sleep } from '../harness/store-harness';
import type { ContractContext } from './contract-context';

const SHORT_TTL = 60;
const PAST_IT = 200;

/** A lookup key as the library builds one (provider, kind, value), unique per test. */
const lookup = (kind: 'sub' | 'sid') => `acme\0${kind}\0${kind}-value-${newId().slice(0, 12)}`;

/**
 * The session index and replay memory of back-channel logout: `indexSession`,
 * `deleteIndexedSessions`, `claimOnce` — written on one instance, used on another.
 */
export function sessionIndexContract(ctx: () => ContractContext): void {
  describe('session index (back-channel logout)', () => {
    it('ends the sessions indexed under a key, with their grants, and leaves the others', async () => {
      const { a, b } = ctx();
      const [s1, s2, other] = [newId(), newId(), newId()];
      const [sub, elsewhere] = [lookup('sub'), lookup('sub')];
      for (const sid of [s1, s2, other]) {
        await a.store.setSession(session(sid), 60_000);
        await a.store.compareAndSetGrant(sid, 'acme', grantOf(`t-${sid.slice(0, 6)}`), 0, 60_000);
      }
      await a.store.indexSession!(s1, [sub, lookup('sid')], 60_000);
      await b.store.indexSession!(s2, [sub], 60_000);
      await a.store.indexSession!(other, [elsewhere], 60_000);

      expect(await b.store.deleteIndexedSessions!(sub)).toBe(2);
      for (const sid of [s1, s2]) {
        expect(await a.store.getSession(sid)).toBeUndefined();
        expect(await a.store.getGrant(sid, 'acme')).toBeUndefined();
      }
      expect(await a.store.getSession(other)).toEqual(session(other));
      expect(await a.store.getGrant(other, 'acme')).toBeDefined();
      expect(await a.store.deleteIndexedSessions!(sub)).toBe(0);
    });

    it('finds a session by any of its keys, and counts one already logged out as none', async () => {
      const { a, b } = ctx();
      const [sid, gone] = [newId(), newId()];
      const [sub, sidKey] = [lookup('sub'), lookup('sid')];
      await a.store.setSession(session(sid), 60_000);
      await a.store.setSession(session(gone), 60_000);
      await a.store.indexSession!(sid, [sub, sidKey], 60_000);
      await a.store.indexSession!(gone, [sidKey], 60_000);
      await a.store.deleteSession(gone);
      expect(await b.store.deleteIndexedSessions!(sidKey)).toBe(1);
      expect(await a.store.getSession(sid)).toBeUndefined();
      expect(await b.store.deleteIndexedSessions!(sub)).toBe(0);
    });

    it('keeps indexing after a key was used: a later session is found by the next call', async () => {
      const { a, b } = ctx();
      const sub = lookup('sub');
      const [first, later] = [newId(), newId()];
      await a.store.setSession(session(first), 60_000);
      await a.store.indexSession!(first, [sub], 60_000);
      expect(await b.store.deleteIndexedSessions!(sub)).toBe(1);
      await a.store.setSession(session(later), 60_000);
      await a.store.indexSession!(later, [sub], 60_000);
      expect(await b.store.deleteIndexedSessions!(sub)).toBe(1);
      expect(await a.store.getSession(later)).toBeUndefined();
    });

    it('forgets an index entry once its TTL has passed', async () => {
      const { a, b } = ctx();
      const sid = newId();
      const sub = lookup('sub');
      await a.store.setSession(session(sid), 60_000);
      await a.store.indexSession!(sid, [sub], SHORT_TTL);
      await sleep(PAST_IT);
      expect(await b.store.deleteIndexedSessions!(sub)).toBe(0);
      expect(await a.store.getSession(sid)).toEqual(session(sid));
    });

    it('stores no lookup key in raw keys and values', async () => {
      const { a, h } = ctx();
      const sid = newId();
      const sub = lookup('sub');
      await a.store.setSession(session(sid), 60_000);
      await a.store.indexSession!(sid, [sub], 60_000);
      await a.store.claimOnce!(`jti\0${sub}`, 60_000);
      const dump = await h.dump();
      expect(dump).not.toContain(sub.split('\0')[2]);
    });
  });

  describe('replay memory', () => {
    it('claims a key once, across instances and concurrent callers', async () => {
      const { a, b } = ctx();
      const key = `jti-${newId()}`;
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).store.claimOnce!(key, 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await a.store.claimOnce!(key, 60_000)).toBe(false);
      expect(await b.store.claimOnce!(`jti-${newId()}`, 60_000)).toBe(true);
    });

    it('claims a key again once its TTL has passed', async () => {
      const { a, b } = ctx();
      const key = `jti-${newId()}`;
      expect(await a.store.claimOnce!(key, SHORT_TTL)).toBe(true);
      expect(await b.store.claimOnce!(key, SHORT_TTL)).toBe(false);
      await sleep(PAST_IT);
      expect(await b.store.claimOnce!(key, 60_000)).toBe(true);
    });
  });
}
