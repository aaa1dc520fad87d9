import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ProviderDefinition } from '../core/provider-definition';
import { LoginRequiredError } from '../errors/auth-code.errors';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import { KeyRing } from './crypto/key-ring';
import { MemoryStoreNotifier } from '../stores/memory-store.notifier';
import { MemoryTokenLock } from '../stores/memory-token.lock';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { RedisStoreNotifier } from '../stores/redis-store.notifier';
import { RedisTokenLock } from '../stores/redis-token.lock';
import { RedisTokenStore } from '../stores/redis-token.store';
import type { StoreNotifier } from '../stores/store-notifier.interface';
import type { TokenLock, TokenStore } from '../stores/token-store.interface';
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
/**
 * Upstream latency of the slow refresh, and a random source that makes a waiter's first pause
 * (250 ms × (0.5 + random / 2) with a notifier) about 250 ms: longer than the refresh, so a wait
 * that ends `true` was ended by the announcement, not by polling.
 */
const LATENCY_MS = 100;
const options: TokenServiceOptions = { random: () => 0.99 };

/** A notifier that records how each wait ended, around a real one. */
class RecordingNotifier implements StoreNotifier {
  readonly waits: boolean[] = [];
  announced = 0;
  constructor(private readonly inner: StoreNotifier) {}
  grantWritten(ownerId: string, provider: string): Promise<void> {
    this.announced++;
    return this.inner.grantWritten(ownerId, provider);
  }
  async waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean> {
    const woken = await this.inner.waitForGrant(ownerId, provider, timeoutMs);
    this.waits.push(woken);
    return woken;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A notifier whose channel is broken: every call fails. */
class BrokenNotifier implements StoreNotifier {
  grantWritten(): Promise<void> {
    return Promise.reject(new Error('channel down'));
  }
  waitForGrant(): Promise<boolean> {
    return Promise.reject(new Error('channel down'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A lock that is always taken by "someone else", who finishes the refresh (writes the grant and
 * announces it) just as the lock is refused: the moment a wait that starts after the refusal
 * would miss.
 */
class HolderFinishingLock implements TokenLock {
  constructor(
    private readonly store: TokenStore,
    private readonly notifier: StoreNotifier,
    private readonly sessionId: () => string,
    private readonly provider: string,
  ) {}
  async acquire(): Promise<string | undefined> {
    const sid = this.sessionId();
    const grant = (await this.store.getGrant(sid, this.provider))!;
    const tokenSet = {
      ...grant.tokenSet,
      accessToken: 'written-by-the-other-instance',
      expiresAt: Date.now() + 3_600_000,
    };
    const { profile, claims } = grant;
    await this.store.compareAndSetGrant(
      sid,
      this.provider,
      { tokenSet, profile, claims },
      grant.version,
      60_000,
    );
    await this.notifier.grantWritten(sid, this.provider);
    return undefined;
  }
  async release(): Promise<void> {}
}

describe('TokenService waiters woken by the StoreNotifier', () => {
  let fake: FakeOAuth2;
  let def: ProviderDefinition;
  const closers: Array<() => Promise<void>> = [];

  /** One app instance on the shared Redis: its own store, lock and notifier connections. */
  async function redisInstance(): Promise<{ kit: ServiceKit; notifier: RecordingNotifier }> {
    const store = new RedisTokenStore({ redis: URL, cipher: ring, keyPrefix: prefix });
    const lock = new RedisTokenLock({ redis: store.client, keyPrefix: `${prefix}lock:` });
    const redis = new RedisStoreNotifier({ redis: store.client, keyPrefix: prefix });
    await redis.whenListening();
    const notifier = new RecordingNotifier(redis);
    closers.push(
      () => notifier.close(),
      () => store.close(),
    );
    return { kit: makeService([def], { store, lock, notifier, options }), notifier };
  }

  /** Concurrent token reads spread over the instances, A and B alternating. */
  function storm(kits: ServiceKit[], sessionId: string, count = 20) {
    return Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        kits[i % kits.length].service.getValidToken(sessionId, def.id),
      ),
    );
  }

  beforeEach(async () => {
    ({ fake, def } = await startFake());
  });
  afterEach(async () => {
    await fake.stop();
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    const raw = new Redis(URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
    await raw.quit();
  });

  it("wakes instance B with instance A's refresh on one Redis: one upstream call, B woken, not polled", async () => {
    const [a, b] = [await redisInstance(), await redisInstance()];
    const session = await login(a.kit, fake, def);
    await expireGrant(a.kit.store, session.id, def.id);
    fake.latencyMs = LATENCY_MS;

    const results = await storm([a.kit, b.kit], session.id);

    expect(fake.refreshCount).toBe(1);
    const tokens = results.map((r) => (r.status === 'fulfilled' ? r.value.tokenSet : r.reason));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    const stored = (await b.kit.store.getGrant(session.id, def.id))!.tokenSet;
    expect(tokens[1].accessToken).toBe(stored.accessToken);
    // one instance refreshed and announced; the other waited once, and was woken (true), not
    // timed out after its ~250 ms pause (false)
    expect([a.notifier.waits, b.notifier.waits].sort()).toEqual([[], [true]]);
    expect(a.notifier.announced + b.notifier.announced).toBe(1);
  });

  it('wakes the waiter when the refresh drops a dead grant: it answers login_required at once', async () => {
    const [a, b] = [await redisInstance(), await redisInstance()];
    const session = await login(a.kit, fake, def);
    await expireGrant(a.kit.store, session.id, def.id);
    fake.latencyMs = LATENCY_MS;
    fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } }, 10);

    const results = await storm([a.kit, b.kit], session.id);

    expect(fake.refreshCount).toBe(1);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LoginRequiredError);
    }
    expect([a.notifier.waits, b.notifier.waits].sort()).toEqual([[], [true]]);
  });

  it('wakes TokenServices sharing one memory store through the in-process notifier', async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const lock = new MemoryTokenLock();
    const notifier = new RecordingNotifier(new MemoryStoreNotifier());
    const [a, b] = [1, 2].map(() => makeService([def], { store, lock, notifier, options }));
    const session = await login(a, fake, def);
    await expireGrant(store, session.id, def.id);
    fake.latencyMs = LATENCY_MS;

    const results = await storm([a, b], session.id);

    expect(fake.refreshCount).toBe(1);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(notifier.waits).toEqual([true]);
  });

  it('misses no write that lands between the refused lock and the wait', async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const notifier = new RecordingNotifier(new MemoryStoreNotifier());
    let sid = '';
    const lock = new HolderFinishingLock(store, notifier, () => sid, def.id);
    const kit = makeService([def], { store, lock: new MemoryTokenLock(), notifier, options });
    const session = await login(kit, fake, def);
    sid = session.id;
    await expireGrant(store, sid, def.id);
    const waiter = makeService([def], { store, lock, notifier, options });

    const got = await waiter.service.getValidToken(sid, def.id);

    expect(got.tokenSet.accessToken).toBe('written-by-the-other-instance');
    expect(fake.refreshCount).toBe(0);
    // answered from the store read after arming the wait: the wait neither woke (the
    // announcement came before it) nor timed out (~250 ms) before the answer
    expect(notifier.waits).toEqual([]);
  });

  it('falls back to polling when the notifier fails, and only warns about it', async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const lock = new MemoryTokenLock();
    const notifier = new BrokenNotifier();
    const [a, b] = [1, 2].map(() => makeService([def], { store, lock, notifier, options }));
    const session = await login(a, fake, def);
    await expireGrant(store, session.id, def.id);
    fake.latencyMs = LATENCY_MS;

    const results = await storm([a, b], session.id);

    expect(fake.refreshCount).toBe(1);
    const tokens = results.map((r) => (r.status === 'fulfilled' ? r.value.tokenSet : r.reason));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(tokens[0].accessToken).toBe(
      (await store.getGrant(session.id, def.id))!.tokenSet.accessToken,
    );
    const warnings = [...a.warnings, ...b.warnings];
    expect(warnings).toEqual([
      `Could not announce the ${def.id} grant to waiting instances (channel down); they poll the store`,
    ]);
    expect(warnings.join('\n')).not.toContain(session.id);
  });
});
