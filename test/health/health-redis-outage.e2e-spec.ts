import { RedisTokenStore, TokenStore } from 'nestjs-auth-code';
import { PLATFORMS } from '../support/platforms';
import { tencentFixture, type ProviderFixture } from '../support/provider-fixtures';
import { RedisProcess, whenReady } from '../support/redis-process';
import { startTestApp, type TestApp } from '../support/test-app';

/** The check interval of the app under test: a result is reused this long. */
const INTERVAL_MS = 300;
/** Bounded wait for Redis to be reconnected and seen (ioredis backs off to 1 s between tries). */
const RECOVERY_ATTEMPTS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HealthAnswer {
  status: number;
  body: {
    status: string;
    details: Record<string, { status: string; reason?: string; store?: string }>;
  };
}

async function health(app: TestApp): Promise<HealthAnswer> {
  const res = await fetch(`${app.url}/health`);
  return { status: res.status, body: (await res.json()) as HealthAnswer['body'] };
}

describe.each(PLATFORMS)('GET /health on %s with a Redis store that goes away', (platform) => {
  let redis: RedisProcess;
  let fx: ProviderFixture;
  let app: TestApp;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    fx = await tencentFixture();
    app = await startTestApp({
      platform,
      providers: [fx.definition],
      store: redis.url,
      health: { intervalMs: INTERVAL_MS, timeoutMs: 1000 },
    });
    await whenReady(app.app.get<RedisTokenStore>(TokenStore).client);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
    await fx?.fake.stop();
  });

  it('is up, down within one check interval of stopping Redis, and up again once it is back', async () => {
    const up = await health(app);
    expect(up).toMatchObject({
      status: 200,
      body: {
        status: 'ok',
        details: {
          'auth-code-store': { status: 'up', store: 'redis' },
          'auth-code-provider-tencent-ciam': { status: 'up', discovery: 'up', jwks: 'up' },
        },
      },
    });

    await redis.stop();
    await sleep(INTERVAL_MS); // the last `up` is now older than one interval: the next call checks
    const down = await health(app);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details['auth-code-store']).toMatchObject({ status: 'down', store: 'redis' });
    expect(down.body.details['auth-code-store'].reason).toEqual(expect.any(String));
    expect(down.body.details['auth-code-provider-tencent-ciam'].status).toBe('up');

    await redis.restart();
    let back: HealthAnswer | undefined;
    for (let i = 0; i < RECOVERY_ATTEMPTS && back?.status !== 200; i++) {
      await sleep(INTERVAL_MS);
      back = await health(app);
    }
    expect(back).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers without a session, and its body names no URL', async () => {
    const res = await fetch(`${app.url}/health`, { headers: { accept: 'application/json' } });
    const text = await res.text();
    expect([200, 503]).toContain(res.status);
    expect(text).not.toContain('http');
    expect(text).not.toContain(String(redis.port));
  });
});
