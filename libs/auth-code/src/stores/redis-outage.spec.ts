import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors/auth-code.errors';
import { RedisProcess, whenReady } from '../../../../test/support/redis-process';
import { rejectionOf } from '../../../../test/support/rejection';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { RedisTokenLock } from './redis-token.lock';
import { RedisTokenStore } from './redis-token.store';
import type { SessionRecord } from './token-store.interface';

const profile = { provider: 'acme', id: 'user-1' };
const session = (id: string): SessionRecord => ({ id, user: profile, providers: [], createdAt: 1 });

const failure = (p: Promise<unknown>) => rejectionOf(p, ServiceUnavailableError);

describe('Redis outage (own redis-server child process)', () => {
  let redis: RedisProcess;
  let store: RedisTokenStore;
  let lock: RedisTokenLock;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };

  beforeAll(async () => {
    redis = await RedisProcess.start();
    // A command timeout far beyond the test timeout: a call that waited instead of failing fast
    // would make this test time out.
    const opts = { redis: redis.url, commandTimeoutMs: 120_000, maxReconnectDelayMs: 200, logger };
    store = new RedisTokenStore({ ...opts, cipher: KeyRing.ephemeral() });
    lock = new RedisTokenLock(opts);
  });
  afterAll(async () => {
    await Promise.all([store.close(), lock.close()]);
    await redis.stop();
  });

  it('fails every call with store_unavailable while Redis is down, then recovers by itself', async () => {
    const sid = randomBytes(32).toString('base64url');
    await store.setSession(session(sid), 60_000);
    expect(await store.getSession(sid)).toEqual(session(sid));

    // listened to before the kill (it may close at once); a bare listener, since events.once would
    // reject on the reconnect attempts' 'error' events
    const closed = new Promise((resolve) => store.client.once('close', resolve));
    await redis.stop();
    await closed;
    const err = await failure(store.getSession(sid));
    expect(err.code).toBe('store_unavailable');
    expect(err.status).toBe(503);
    expect(err.message).toBe('The session store is unavailable (Redis: not connected)');
    await failure(store.setSession(session(sid), 60_000));
    await failure(
      store.compareAndSetGrant(sid, 'acme', { tokenSet: {} as never, profile }, 0, 1000),
    );
    await failure(store.takeTransaction('state'));
    await failure(store.deleteSession(sid));
    await failure(store.claimDueGrants(Date.now(), 10, 1000));
    await failure(store.rescheduleUpkeep(sid, 'acme', Date.now()));
    await failure(lock.acquire('k', 1000));
    expect(lines.some((l) => l.includes('connection failed'))).toBe(true);

    await redis.restart();
    await Promise.all([whenReady(store.client), whenReady(lock.client)]);
    // Never a memory fallback: what was written before the outage is gone with the unpersisted server.
    expect(await store.getSession(sid)).toBeUndefined();
    await store.setSession(session(sid), 60_000);
    expect(await store.getSession(sid)).toEqual(session(sid));
    expect(await lock.acquire('k', 1000)).toEqual(expect.any(String));
    expect(lines.some((l) => l.includes('restored'))).toBe(true);
  });

  it('fails with store_unavailable when Redis is not there at start-up', async () => {
    const dead = new RedisTokenStore({
      redis: 'redis://127.0.0.1:1',
      cipher: KeyRing.ephemeral(),
      startupWaitMs: 100,
      commandTimeoutMs: 120_000,
      logger,
    });
    const err = await failure(dead.getSession('x'));
    expect(err.code).toBe('store_unavailable');
    await dead.close();
  });
});

describe('Redis outage with a store and a lock sharing one client', () => {
  let redis: RedisProcess;
  let store: RedisTokenStore;
  let lock: RedisTokenLock;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    const opts = { commandTimeoutMs: 120_000, maxReconnectDelayMs: 200, logger };
    store = new RedisTokenStore({ ...opts, redis: redis.url, cipher: KeyRing.ephemeral() });
    lock = new RedisTokenLock({ ...opts, redis: store.client });
  });
  afterAll(async () => {
    await store.close();
    await redis.stop();
  });

  it('both fail fast and recover, each outage is reported once, and closing the lock leaves the client open', async () => {
    const sid = randomBytes(32).toString('base64url');
    expect(lock.client).toBe(store.client);
    await store.setSession(session(sid), 60_000);

    const closed = new Promise((resolve) => store.client.once('close', resolve));
    await redis.stop();
    await closed;
    await failure(store.getSession(sid));
    await failure(lock.acquire('k', 1000));
    // reconnect attempts keep failing; the first one reports the outage
    while (count('connection failed') === 0) await new Promise((r) => setTimeout(r, 20));

    await redis.restart();
    await whenReady(store.client);
    expect(await lock.acquire('k', 1000)).toEqual(expect.any(String));
    await store.setSession(session(sid), 60_000);
    expect(count('connection failed')).toBe(1);
    expect(count('restored')).toBe(1);

    await lock.close();
    expect(await store.getSession(sid)).toEqual(session(sid));
  });
});

describe('Redis upkeep index out of reach while grants are not (own redis-server, an ACL user)', () => {
  let redis: RedisProcess;
  let admin: Redis;
  let store: RedisTokenStore;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };
  const grant = (upkeepAt: number) => ({
    tokenSet: { accessToken: 'a', tokenType: 'Bearer', expiresAt: 1 },
    profile,
    upkeepAt,
  });

  beforeAll(async () => {
    redis = await RedisProcess.start();
    admin = new Redis(redis.url);
    // as a cluster whose upkeep slot has no master: every key but the index's works
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>pw', '+@all', '~p:session:*', '~p:grant*');
    store = new RedisTokenStore({
      redis: `redis://app:pw@127.0.0.1:${redis.port}`,
      cipher: KeyRing.ephemeral(),
      keyPrefix: 'p:',
      logger,
    });
  });
  afterAll(async () => {
    await store.close();
    admin.disconnect();
    await redis.stop();
  });

  it('keeps writing and deleting grants, reports the index once, fails claims, and indexes again once it is back', async () => {
    const [sid, other] = [randomBytes(32).toString('base64url'), 'user:acme:42'];
    expect(await store.compareAndSetGrant(sid, 'acme', grant(10), 0, 60_000)).toMatchObject({
      version: 1,
    });
    expect(await store.compareAndSetGrant(sid, 'acme', grant(20), 1, 60_000)).toMatchObject({
      version: 2,
    });
    await store.compareAndSetGrant(other, 'acme', grant(30), 0, 60_000);
    await store.deleteGrant(other, 'acme');
    const reported = lines.filter((l) => l.includes('could not update its upkeep index'));
    expect(reported).toEqual([expect.stringContaining('(NOPERM')]);
    expect((await store.getGrant(sid, 'acme'))!.version).toBe(2);
    const err = await failure(store.claimDueGrants(100, 10, 1000));
    expect(err.code).toBe('store_unavailable');
    await failure(store.rescheduleUpkeep(sid, 'acme', 50));

    await admin.call('ACL', 'SETUSER', 'app', '~p:upkeep:*');
    await store.compareAndSetGrant(sid, 'acme', grant(40), 2, 60_000);
    expect(lines.filter((l) => l.includes('upkeep index updates work again'))).toHaveLength(1);
    expect(await store.claimDueGrants(100, 10, 1000)).toEqual([{ ownerId: sid, provider: 'acme' }]);
  });
});
