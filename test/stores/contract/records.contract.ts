import { grantOf, newId, session, sleep, tx } from '../harness/store-harness';
import type { ContractContext } from './contract-context';

/** Short TTLs the backends expire on their own clock, and a wait well past them. */
const SHORT_TTL = 60;
const PAST_IT = 200;

/** Sessions, grants and login transactions: every {@link TokenStore} method. */
export function recordsContract(ctx: () => ContractContext): void {
  describe('sessions', () => {
    it('round-trips a session and knows no other', async () => {
      const { a, b } = ctx();
      const sid = newId();
      await a.store.setSession(session(sid), 60_000);
      expect(await b.store.getSession(sid)).toEqual(session(sid));
      expect(await b.store.getSession(newId())).toBeUndefined();
    });

    it('overwrites a session on setSession', async () => {
      const { a } = ctx();
      const sid = newId();
      await a.store.setSession(session(sid), 60_000);
      await a.store.setSession(session(sid, ['acme', 'other']), 60_000);
      expect((await a.store.getSession(sid))!.providers).toEqual(['acme', 'other']);
    });

    it('no longer returns a session once its TTL has passed', async () => {
      const { a } = ctx();
      const sid = newId();
      await a.store.setSession(session(sid), SHORT_TTL);
      await sleep(PAST_IT);
      expect(await a.store.getSession(sid)).toBeUndefined();
    });

    it('replaceSession rewrites a live session with its TTL, never recreates a deleted or expired one', async () => {
      const { a, b } = ctx();
      const [sid, shortened, expired] = [newId(), newId(), newId()];
      await a.store.setSession(session(sid), 60_000);
      await a.store.setSession(session(shortened), 60_000);
      await a.store.setSession(session(expired), SHORT_TTL);
      const changed = session(sid, []);
      expect(await b.store.replaceSession!(changed, 60_000)).toBe(true);
      expect(await b.store.replaceSession!(session(shortened), SHORT_TTL)).toBe(true);
      await sleep(PAST_IT);
      expect(await a.store.getSession(sid)).toEqual(changed);
      expect(await a.store.getSession(shortened)).toBeUndefined();
      expect(await b.store.replaceSession!(session(expired), 60_000)).toBe(false);
      expect(await a.store.getSession(expired)).toBeUndefined();

      await a.store.deleteSession(sid);
      expect(await b.store.replaceSession!(session(sid), 60_000)).toBe(false);
      expect(await a.store.getSession(sid)).toBeUndefined();
      expect(await b.store.replaceSession!(session(newId()), 60_000)).toBe(false);
    });

    it('deletes a session with every grant it holds, and leaves other sessions alone', async () => {
      const { a, b } = ctx();
      const [s1, s2] = [newId(), newId()];
      await a.store.setSession(session(s1), 60_000);
      await a.store.setSession(session(s2), 60_000);
      await a.store.compareAndSetGrant(s1, 'acme', grantOf('a'), 0, 60_000);
      await a.store.compareAndSetGrant(s1, 'other', grantOf('b'), 0, 60_000);
      await a.store.compareAndSetGrant(s2, 'acme', grantOf('c'), 0, 60_000);
      await b.store.deleteSession(s1);
      expect(await a.store.getSession(s1)).toBeUndefined();
      expect(await a.store.getGrant(s1, 'acme')).toBeUndefined();
      expect(await a.store.getGrant(s1, 'other')).toBeUndefined();
      expect(await a.store.getSession(s2)).toEqual(session(s2));
      expect((await a.store.getGrant(s2, 'acme'))!.tokenSet.accessToken).toBe('c');
      // a new grant of the deleted session starts over at version 1
      expect(await a.store.compareAndSetGrant(s1, 'acme', grantOf('d'), 0, 60_000)).toMatchObject({
        version: 1,
      });
    });
  });

  describe('grants', () => {
    it('writes a grant only for the expected version: 0 inserts, a conflict writes nothing, a match increments', async () => {
      const { a, b } = ctx();
      const sid = newId();
      const first = await a.store.compareAndSetGrant(sid, 'acme', grantOf('a1'), 0, 60_000);
      expect(first).toMatchObject({ version: 1, tokenSet: { accessToken: 'a1' } });
      expect(first!.updatedAt).toBeGreaterThan(Date.now() - 10_000);
      expect(
        await b.store.compareAndSetGrant(sid, 'acme', grantOf('x'), 0, 60_000),
      ).toBeUndefined();
      expect(
        await b.store.compareAndSetGrant(sid, 'acme', grantOf('x'), 2, 60_000),
      ).toBeUndefined();
      expect(await b.store.compareAndSetGrant(sid, 'acme', grantOf('a2'), 1, 60_000)).toMatchObject(
        { version: 2 },
      );
      expect(
        await a.store.compareAndSetGrant(sid, 'acme', grantOf('x'), 1, 60_000),
      ).toBeUndefined();
      expect(await a.store.getGrant(sid, 'acme')).toMatchObject({
        version: 2,
        tokenSet: { accessToken: 'a2', refreshToken: 'refresh-a2' },
        profile: { id: 'user-1' },
      });
      // another provider of the same session is another grant
      expect(await a.store.compareAndSetGrant(sid, 'other', grantOf('o'), 0, 60_000)).toMatchObject(
        {
          version: 1,
        },
      );
    });

    it('lets exactly one of many concurrent writers of a version win, on two instances', async () => {
      const { a, b } = ctx();
      const sid = newId();
      await a.store.compareAndSetGrant(sid, 'acme', grantOf('v1'), 0, 60_000);
      const writes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b).store.compareAndSetGrant(sid, 'acme', grantOf(`w${i}`), 1, 60_000),
        ),
      );
      const winners = writes.filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(await b.store.getGrant(sid, 'acme')).toMatchObject({
        version: 2,
        tokenSet: { accessToken: winners[0]!.tokenSet.accessToken },
      });
    });

    it('lets exactly one of many concurrent first writers (version 0) win', async () => {
      const { a, b } = ctx();
      const sid = newId();
      const writes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).store.compareAndSetGrant(sid, 'acme', grantOf(`f${i}`), 0, 60_000),
        ),
      );
      expect(writes.filter(Boolean)).toHaveLength(1);
    });

    it('expires a grant by its TTL, after which it counts as absent (version 0)', async () => {
      const { a } = ctx();
      const sid = newId();
      await a.store.compareAndSetGrant(sid, 'acme', grantOf('a1'), 0, SHORT_TTL);
      await sleep(PAST_IT);
      expect(await a.store.getGrant(sid, 'acme')).toBeUndefined();
      expect(
        await a.store.compareAndSetGrant(sid, 'acme', grantOf('x'), 1, 60_000),
      ).toBeUndefined();
      expect(await a.store.compareAndSetGrant(sid, 'acme', grantOf('a2'), 0, 60_000)).toMatchObject(
        {
          version: 1,
        },
      );
    });

    it('deletes one grant and keeps the others of the session', async () => {
      const { a, b } = ctx();
      const sid = newId();
      await a.store.compareAndSetGrant(sid, 'acme', grantOf('a'), 0, 60_000);
      await a.store.compareAndSetGrant(sid, 'other', grantOf('b'), 0, 60_000);
      await b.store.deleteGrant(sid, 'acme');
      expect(await a.store.getGrant(sid, 'acme')).toBeUndefined();
      expect((await a.store.getGrant(sid, 'other'))!.tokenSet.accessToken).toBe('b');
    });
  });

  describe('login transactions', () => {
    it('hands a transaction out once, even to many takers on two instances', async () => {
      const { a, b } = ctx();
      const state = newId();
      await a.store.putTransaction(tx(state), 60_000);
      const taken = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).store.takeTransaction(state)),
      );
      expect(taken.filter(Boolean)).toEqual([tx(state)]);
      expect(await a.store.takeTransaction(state)).toBeUndefined();
      expect(await a.store.takeTransaction(newId())).toBeUndefined();
    });

    it('does not hand out a transaction whose TTL has passed', async () => {
      const { a } = ctx();
      const state = newId();
      await a.store.putTransaction(tx(state), SHORT_TTL);
      await sleep(PAST_IT);
      expect(await a.store.takeTransaction(state)).toBeUndefined();
    });
  });
}
