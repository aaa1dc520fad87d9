import { newId, sleep } from '../harness/store-harness';
import type { ContractContext } from './contract-context';

/** The {@link TokenLock}: one owner at a time, TTL, compare-and-delete release. */
export function lockContract(ctx: () => ContractContext): void {
  describe('lock', () => {
    it('gives a key to exactly one of many concurrent callers on two instances', async () => {
      const { a, b } = ctx();
      const key = `refresh:{${newId()}}:acme`;
      const owners = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).lock.acquire(key, 5000)),
      );
      expect(owners.filter(Boolean)).toHaveLength(1);
      // another key is another lock
      expect(await a.lock.acquire(`${key}:other`, 5000)).toEqual(expect.any(String));
    });

    it('releases only for its owner (compare-and-delete), then the key can be taken again', async () => {
      const { a, b } = ctx();
      const key = `refresh:{${newId()}}:acme`;
      const owner = (await a.lock.acquire(key, 5000))!;
      await b.lock.release(key, 'not-the-owner');
      expect(await b.lock.acquire(key, 5000)).toBeUndefined();
      await b.lock.release(key, owner);
      const next = await b.lock.acquire(key, 5000);
      expect(next).toEqual(expect.any(String));
      expect(next).not.toBe(owner);
    });

    it('frees a lock whose TTL ran out (a crashed holder), and the late holder cannot release its successor', async () => {
      const { a, b } = ctx();
      const key = `refresh:{${newId()}}:acme`;
      const first = (await a.lock.acquire(key, 60))!;
      expect(await b.lock.acquire(key, 5000)).toBeUndefined();
      await sleep(200);
      const second = await b.lock.acquire(key, 5000);
      expect(second).toEqual(expect.any(String));
      await a.lock.release(key, first);
      expect(await a.lock.acquire(key, 5000)).toBeUndefined();
    });
  });
}
