import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ProviderDefinition } from '../core/provider-definition';
import { LoginRequiredError, TransportError } from '../errors/auth-code.errors';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import { KeyRing } from './crypto/key-ring';
import { RedisTokenLock } from '../stores/redis-token.lock';
import { RedisTokenStore } from '../stores/redis-token.store';
import { StoreKeys } from '../stores/store-keys';
import type { TokenServiceOptions } from './token-service.options';
import {
  expireGrant,
  login,
  makeService,
  startFake,
  type ServiceKit,
} from '../../../../test/support/token-service.kit';

const URL = 'redis://127.0.0.1:6379';
const prefix = `auth-code-test:${randomUUID()}:`;
const ring = new KeyRing([randomBytes(32)]);

describe('TokenService across 3 instances (real Redis, real fake OAuth2 server)', () => {
  let fake: FakeOAuth2;
  let def: ProviderDefinition;
  const closers: Array<() => Promise<void>> = [];

  /** One app instance: its own Redis connections for the store and the lock. */
  function instance(options?: TokenServiceOptions): ServiceKit {
    const store = new RedisTokenStore({ redis: URL, cipher: ring, keyPrefix: prefix });
    const lock = new RedisTokenLock({ redis: URL, keyPrefix: `${prefix}lock:` });
    closers.push(
      () => store.close(),
      () => lock.close(),
    );
    return makeService([def], { store, lock, options });
  }

  beforeEach(async () => {
    ({ fake, def } = await startFake());
  });
  afterEach(async () => {
    await fake.stop();
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    const raw = new Redis(URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await raw.quit();
  });

  it('refreshes an expired token exactly once for 300 concurrent callers on 3 instances', async () => {
    const apps = [instance(), instance(), instance()];
    const session = await login(apps[0], fake, def);
    const before = (await apps[0].service.getGrant(session.id, def.id))!.tokenSet;
    await expireGrant(apps[0].store, session.id, def.id);
    fake.latencyMs = 100;
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => apps[i % 3].service.getValidToken(session.id, def.id)),
    );
    expect(fake.refreshCount).toBe(1);
    expect(new Set(results.map((r) => r.tokenSet.expiresAt)).size).toBe(1);
    expect(new Set(results.map((r) => r.tokenSet.accessToken)).size).toBe(1);
    const stored = (await apps[2].service.getGrant(session.id, def.id))!.tokenSet;
    expect(stored.accessToken).toBe(results[0].tokenSet.accessToken);
    expect(stored.refreshToken).not.toBe(before.refreshToken);
    expect(stored.refreshToken).toBe(fake.grants.currentRefreshToken(before.refreshToken!));
  });

  it('makes one upstream call on invalid_grant and logs every instance out of that provider', async () => {
    const apps = [instance(), instance(), instance()];
    const session = await login(apps[0], fake, def);
    await expireGrant(apps[0].store, session.id, def.id);
    fake.latencyMs = 50;
    fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } }, 10);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => apps[i % 3].service.getValidToken(session.id, def.id)),
    );
    expect(
      outcomes.every((o) => o.status === 'rejected' && o.reason instanceof LoginRequiredError),
    ).toBe(true);
    expect(fake.refreshCount).toBe(1);
    expect(await apps[1].service.getGrant(session.id, def.id)).toBeUndefined();
  });

  it('waits for a lock holder instead of refreshing with the same token, up to waitTimeoutMs', async () => {
    const app = instance({ waitTimeoutMs: 300 });
    const session = await login(app, fake, def);
    await expireGrant(app.store, session.id, def.id);
    const holder = new RedisTokenLock({ redis: URL, keyPrefix: `${prefix}lock:` });
    closers.push(() => holder.close());
    await holder.acquire(StoreKeys.refreshLock(session.id, def.id), 60_000);
    const err = await app.service.getValidToken(session.id, def.id).catch((e: Error) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toContain('Another request was still refreshing');
    expect(fake.refreshCount).toBe(0);
  });

  it('takes over once a crashed holder’s lock has expired', async () => {
    const app = instance({ waitTimeoutMs: 5000 });
    const session = await login(app, fake, def);
    await expireGrant(app.store, session.id, def.id);
    const holder = new RedisTokenLock({ redis: URL, keyPrefix: `${prefix}lock:` });
    closers.push(() => holder.close());
    await holder.acquire(StoreKeys.refreshLock(session.id, def.id), 200);
    const { refreshed } = await app.service.getValidToken(session.id, def.id);
    expect(refreshed).toBe(true);
    expect(fake.refreshCount).toBe(1);
  });
});
