import { RedisTokenLock, RedisTokenStore, TokenLock, TokenStore } from 'nestjs-auth-code';
import { RedisProcess, whenReady } from '../support/redis-process';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from './refresh-knobs';
import { askToken, loginOn } from './token-apps';

/** Inside the 60 s skew: the first token request after the outage refreshes. */
const DUE_LIFETIME = 30;
const CONCURRENT = 20;

describe.each(SEED_FIXTURES)('Redis outage with %s', (_id, makeFixture) => {
  let fx: ProviderFixture;
  let knobs: RefreshKnobs;
  let redis: RedisProcess;
  let app: TestApp;

  beforeAll(async () => {
    fx = await makeFixture();
    knobs = refreshKnobs(fx);
    // persistent: the session written before the outage is still there once Redis is back
    redis = await RedisProcess.start({ persistent: true });
    app = await startTestApp({ providers: [fx.definition], store: redis.url });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
    await fx?.fake.stop();
  });

  it('answers 503 store_unavailable while Redis is down, never refreshing, and serves the same session once it is back', async () => {
    knobs.setAccessTokenLifetime(DUE_LIFETIME);
    const browser = await loginOn(app, fx);
    knobs.setAccessTokenLifetime(3600);
    await redis.stop();

    // every request is answered during the outage (Redis only comes back after all of them)
    const [tokens, me, loginStart] = await Promise.all([
      Promise.all(Array.from({ length: CONCURRENT }, () => askToken(browser, fx.id))),
      browser.get('/me'),
      browser.get(`/auth/${fx.id}/login`),
    ]);
    for (const answer of tokens) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ statusCode: 503, error: 'store_unavailable' });
      expect(answer.body.message).toMatch(/^The session store is unavailable \(Redis: .+\)$/);
    }
    expect(me.status).toBe(503);
    expect(loginStart.status).toBe(503);
    // no fallback: nothing was refreshed (and so no refresh token spent) without the store
    expect(knobs.refreshCalls()).toHaveLength(0);

    await redis.restart();
    const store = app.app.get<RedisTokenStore>(TokenStore);
    const lock = app.app.get<RedisTokenLock>(TokenLock);
    await Promise.all([whenReady(store.client), whenReady(lock.client)]);

    const back = await askToken(browser, fx.id);
    expect(back).toMatchObject({ status: 200, body: { provider: fx.id, refreshed: true } });
    expect(knobs.refreshCalls()).toHaveLength(1);
    expect((await browser.get('/me')).status).toBe(200);
  });
});
