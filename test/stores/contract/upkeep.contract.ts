import type { DueGrant, StoredGrant, TokenStore } from 'nestjs-auth-code';
import { grantOf, newId, session, sha, sleep } from '../harness/store-harness';
import type { ContractContext } from './contract-context';

const SHORT_TTL = 60;
const PAST_IT = 200;
const LEASE = 1000;

/**
 * The index is one per store, shared by every test of a run, and a claimed entry only moves (by
 * its lease). So each test works in a time window of its own, below every earlier test's: what
 * earlier tests left behind is never due in a later window. Every time a test uses is within
 * `w .. w + SPAN`, and windows are `STEP` apart.
 */
const SPAN = 1e9;
const STEP = 1e10;
let lastWindow = 6e12;
const window = () => (lastWindow -= STEP);

/** A grant to be looked at by upkeep at `upkeepAt`. */
const dueAt = (upkeepAt: number | undefined, token = `t-${newId().slice(0, 8)}`) => ({
  ...grantOf(token),
  upkeepAt,
});

/** Claimed entries as `owner|provider` texts (order kept). */
const names = (due: DueGrant[]) => due.map((d) => `${d.ownerId}|${d.provider}`);

/** A CAS write that must succeed. */
async function write(
  store: TokenStore,
  owner: string,
  provider: string,
  upkeepAt: number | undefined,
  expected = 0,
): Promise<StoredGrant> {
  const written = await store.compareAndSetGrant(
    owner,
    provider,
    dueAt(upkeepAt),
    expected,
    60_000,
  );
  expect(written).toBeDefined();
  return written!;
}

/**
 * The upkeep index: `StoredGrant.upkeepAt` written through `compareAndSetGrant`,
 * `claimDueGrants` (due, oldest first, leased, never twice at once) and `rescheduleUpkeep` —
 * written on one instance, claimed on another.
 */
export function upkeepContract(ctx: () => ContractContext): void {
  describe('upkeep index', () => {
    it('claims a grant once its upkeepAt has come, not before, with the owner id as written', async () => {
      const { a, b } = ctx();
      const w = window();
      const sid = newId();
      await write(a.store, sid, 'acme', w + 1000);
      expect(await b.store.claimDueGrants!(w + 999, 10, LEASE)).toEqual([]);
      expect(await b.store.claimDueGrants!(w + 1000, 10, LEASE)).toEqual([
        { ownerId: sid, provider: 'acme' },
      ]);
    });

    it('moves a claimed grant by the lease: nobody gets it again until the lease has passed', async () => {
      const { a, b } = ctx();
      const w = window();
      const sid = newId();
      await write(a.store, sid, 'acme', w + 10);
      expect(names(await a.store.claimDueGrants!(w + 100, 10, LEASE))).toEqual([`${sid}|acme`]);
      expect(await b.store.claimDueGrants!(w + 100, 10, LEASE)).toEqual([]);
      expect(await b.store.claimDueGrants!(w + 100 + LEASE - 1, 10, LEASE)).toEqual([]);
      expect(names(await b.store.claimDueGrants!(w + 100 + LEASE, 10, LEASE))).toEqual([
        `${sid}|acme`,
      ]);
      // and the grant itself is untouched by claims
      expect((await a.store.getGrant(sid, 'acme'))!.version).toBe(1);
    });

    it('claims at most `limit` grants, oldest first', async () => {
      const { a, b } = ctx();
      const w = window();
      const owners = Array.from({ length: 5 }, () => newId());
      const order = [5, 1, 4, 2, 3]; // written out of order
      for (const [i, at] of order.entries()) {
        await write(a.store, owners[i], i % 2 ? 'acme' : 'other', w + at);
      }
      const byTime = [...order.keys()]
        .sort((x, y) => order[x] - order[y])
        .map((i) => `${owners[i]}|${i % 2 ? 'acme' : 'other'}`);
      expect(await b.store.claimDueGrants!(w + 10, 0, LEASE)).toEqual([]);
      expect(names(await b.store.claimDueGrants!(w + 10, 3, LEASE))).toEqual(byTime.slice(0, 3));
      expect(names(await a.store.claimDueGrants!(w + 10, 3, LEASE))).toEqual(byTime.slice(3));
      expect(await a.store.claimDueGrants!(w + 10, 3, LEASE)).toEqual([]);
    });

    it('never hands one grant to two claimers at the same moment (concurrent calls, two instances)', async () => {
      const { a, b } = ctx();
      const w = window();
      const owners = Array.from({ length: 24 }, () => newId());
      await Promise.all(owners.map((o, i) => write(a.store, o, 'acme', w + i)));
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? a : b).store.claimDueGrants!(w + 100, 5, LEASE),
        ),
      );
      const claimed = rounds.flatMap(names);
      expect(new Set(claimed).size).toBe(claimed.length);
      // whatever a claimer skipped (another one held it) is still there for the next claim
      const rest = names(await b.store.claimDueGrants!(w + 100, 100, LEASE));
      expect([...claimed, ...rest].sort()).toEqual(owners.map((o) => `${o}|acme`).sort());
    });

    it('reschedules on a write with a new upkeepAt, and a write without one takes the grant out', async () => {
      const { a, b } = ctx();
      const w = window();
      const sid = newId();
      await write(a.store, sid, 'acme', w + 100);
      await write(b.store, sid, 'acme', w + 5000, 1);
      expect(await a.store.claimDueGrants!(w + 4999, 10, LEASE)).toEqual([]);
      expect(names(await a.store.claimDueGrants!(w + 5000, 10, LEASE))).toEqual([`${sid}|acme`]);
      await write(b.store, sid, 'acme', w + 9000, 2);
      await write(a.store, sid, 'acme', undefined, 3);
      expect(await b.store.claimDueGrants!(w + SPAN, 10, LEASE)).toEqual([]);
      expect((await b.store.getGrant(sid, 'acme'))!.version).toBe(4);
    });

    it('leaves the index alone on a failed write', async () => {
      const { a, b } = ctx();
      const w = window();
      const sid = newId();
      await write(a.store, sid, 'acme', w + 100);
      // lost races: a second "first" write, and one against a version that is not there
      expect(
        await b.store.compareAndSetGrant(sid, 'acme', dueAt(w + 10), 0, 60_000),
      ).toBeUndefined();
      expect(
        await b.store.compareAndSetGrant(sid, 'acme', dueAt(undefined), 7, 60_000),
      ).toBeUndefined();
      expect(
        await b.store.compareAndSetGrant(newId(), 'acme', dueAt(w + 10), 3, 60_000),
      ).toBeUndefined();
      expect(await a.store.claimDueGrants!(w + 99, 10, LEASE)).toEqual([]);
      expect(names(await a.store.claimDueGrants!(w + 100, 10, LEASE))).toEqual([`${sid}|acme`]);
    });

    it('rescheduleUpkeep moves and clears an entry without rewriting the grant or its version', async () => {
      const { a, b } = ctx();
      const w = window();
      const sid = newId();
      const written = await write(a.store, sid, 'acme', w + 100);
      await b.store.rescheduleUpkeep!(sid, 'acme', w + 3000);
      expect(await a.store.getGrant(sid, 'acme')).toEqual(written);
      expect(await a.store.claimDueGrants!(w + 2999, 10, LEASE)).toEqual([]);
      expect(names(await a.store.claimDueGrants!(w + 3000, 10, LEASE))).toEqual([`${sid}|acme`]);
      // a claimed (leased) entry can be moved back, too
      await a.store.rescheduleUpkeep!(sid, 'acme', w + 3100);
      expect(names(await b.store.claimDueGrants!(w + 3100, 10, LEASE))).toEqual([`${sid}|acme`]);
      await b.store.rescheduleUpkeep!(sid, 'acme', undefined);
      expect(await a.store.claimDueGrants!(w + SPAN, 10, LEASE)).toEqual([]);
      expect(await a.store.getGrant(sid, 'acme')).toEqual(written);
      // the version is the one a writer expects: the next CAS write goes through, and indexes again
      await write(b.store, sid, 'acme', w + 5000, 1);
      expect(names(await a.store.claimDueGrants!(w + 5000, 10, LEASE))).toEqual([`${sid}|acme`]);
    });

    it('rescheduleUpkeep of a grant that does not exist indexes nothing', async () => {
      const { a, b } = ctx();
      const w = window();
      await a.store.rescheduleUpkeep!(newId(), 'acme', w + 10);
      expect(await b.store.claimDueGrants!(w + SPAN, 10, LEASE)).toEqual([]);
    });

    it('deleteGrant, deleteSession and deleteIndexedSessions take their grants out of the index', async () => {
      const { a, b } = ctx();
      const w = window();
      const [kept, dropped, loggedOut, backChannel] = [newId(), newId(), newId(), newId()];
      for (const sid of [kept, dropped, loggedOut, backChannel]) {
        await a.store.setSession(session(sid, ['acme', 'other']), 60_000);
        await write(a.store, sid, 'acme', w + 10);
        await write(a.store, sid, 'other', w + 20);
      }
      const sub = `acme\0sub\0sub-${newId().slice(0, 12)}`;
      await a.store.indexSession!(backChannel, [sub], 60_000);
      await b.store.deleteGrant(dropped, 'other');
      await b.store.deleteSession(loggedOut);
      expect(await b.store.deleteIndexedSessions!(sub)).toBe(1);

      const live = [`${kept}|acme`, `${dropped}|acme`, `${kept}|other`].sort();
      const first = names(await a.store.claimDueGrants!(w + 100, 100, LEASE));
      // a gone grant may come back once (callers skip it, the store forgets it), never twice
      for (const gone of first.filter((n) => !live.includes(n))) {
        const [owner, provider] = gone.split('|');
        expect(await a.store.getGrant(owner, provider)).toBeUndefined();
      }
      expect(first.filter((n) => live.includes(n)).sort()).toEqual(live);
      const again = names(await b.store.claimDueGrants!(w + 100 + LEASE, 100, LEASE));
      expect(again.sort()).toEqual(live);
    });

    it('lets an expired grant go: claimed at most once, never after a reader found it gone', async () => {
      const { a, b } = ctx();
      const w = window();
      const [expired, live] = [newId(), newId()];
      await a.store.compareAndSetGrant(expired, 'acme', dueAt(w + 10), 0, SHORT_TTL);
      await write(a.store, live, 'acme', w + 20);
      await sleep(PAST_IT);
      const first = names(await b.store.claimDueGrants!(w + 100, 10, LEASE));
      expect(first.filter((n) => n !== `${expired}|acme`)).toEqual([`${live}|acme`]);
      expect(await b.store.getGrant(expired, 'acme')).toBeUndefined();
      expect(names(await a.store.claimDueGrants!(w + 100 + LEASE, 10, LEASE))).toEqual([
        `${live}|acme`,
      ]);
    });

    it('round-trips user-style owner ids exactly', async () => {
      const { a, b } = ctx();
      const w = window();
      const tag = newId().slice(0, 6);
      const owners = [
        `user:isolarcloud:42-${tag}`,
        `user:tencent-ciam:{tag}:a b/ü-é-${tag}`,
        `user:xt:${'x'.repeat(300)}-${tag}`,
      ];
      for (const [i, owner] of owners.entries()) await write(a.store, owner, 'isolarcloud', w + i);
      expect(await b.store.claimDueGrants!(w + 10, 10, LEASE)).toEqual(
        owners.map((ownerId) => ({ ownerId, provider: 'isolarcloud' })),
      );
    });

    it('keeps owner ids out of raw keys and values', async () => {
      const { a, h } = ctx();
      const w = window();
      const owners = [newId(), `user:isolarcloud:${newId().slice(0, 16)}`];
      for (const owner of owners) await write(a.store, owner, 'acme', w + 10);
      await a.store.rescheduleUpkeep!(owners[0], 'acme', w + 20);
      const dump = await h.dump();
      for (const owner of owners) {
        expect(dump).toContain(sha(owner)); // the dump did see the grant (and its index entry)
        expect(dump).not.toContain(owner);
        expect(dump).not.toContain(owner.slice(-16));
      }
      // the owners the store kept encrypted still come back
      expect(names(await a.store.claimDueGrants!(w + 100, 10, LEASE)).sort()).toEqual(
        owners.map((o) => `${o}|acme`).sort(),
      );
    });
  });
}
