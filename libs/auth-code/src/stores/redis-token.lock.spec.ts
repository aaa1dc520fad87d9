import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisTokenLock } from './redis-token.lock';

const URL = 'redis://127.0.0.1:6379';
const prefix = `auth-code-test:${randomUUID()}:lock:`;

/** Exclusivity, TTL and release are in test/stores (the contract suite); this is Redis' own part. */
describe('RedisTokenLock (real Redis)', () => {
  const raw = new Redis(URL);
  const lock = new RedisTokenLock({ redis: URL, keyPrefix: prefix });

  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await Promise.all([lock.close(), raw.quit()]);
  });

  it('is one key under its prefix holding the owner, with the TTL on the key', async () => {
    const owner = await lock.acquire('k', 5000);
    expect(await raw.get(`${prefix}k`)).toBe(owner);
    const ttl = await raw.pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });
});
