import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisTokenLock } from './redis-token.lock';

const URL = 'redis://127.0.0.1:6379';
const prefix = `auth-code-test:${randomUUID()}:lock:`;

describe('RedisTokenLock (real Redis)', () => {
  const raw = new Redis(URL);
  const a = new RedisTokenLock({ redis: URL, keyPrefix: prefix });
  const b = new RedisTokenLock({ redis: URL, keyPrefix: prefix });

  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await Promise.all([a.close(), b.close(), raw.quit()]);
  });

  it('gives a key to exactly one of many callers on two connections', async () => {
    const owners = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).acquire('k1', 5000)),
    );
    expect(owners.filter(Boolean)).toHaveLength(1);
  });

  it('sets the TTL on the lock key', async () => {
    await a.acquire('k2', 5000);
    const ttl = await raw.pttl(`${prefix}k2`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('releases only for the owner (compare-and-delete)', async () => {
    const owner = (await a.acquire('k3', 5000))!;
    await b.release('k3', 'not-the-owner');
    expect(await b.acquire('k3', 5000)).toBeUndefined();
    await b.release('k3', owner);
    expect(await b.acquire('k3', 5000)).toEqual(expect.any(String));
  });

  it('frees a lock whose TTL ran out, and the late holder cannot release its successor', async () => {
    const first = (await a.acquire('k4', 30))!;
    await new Promise((r) => setTimeout(r, 80));
    const second = await b.acquire('k4', 5000);
    expect(second).toEqual(expect.any(String));
    await a.release('k4', first);
    expect(await raw.get(`${prefix}k4`)).toBe(second);
  });
});
