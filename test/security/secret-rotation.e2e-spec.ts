import { Redis } from 'ioredis';
import type { FakeXt } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { pendingLogin } from '../support/http-steps';
import { login } from '../support/login-flow';
import { xtFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { deleteUnder, SHARED_REDIS_URL, uniquePrefix } from '../tokens/token-apps';

const S1 = 'rotation-secret-one-0123456789-abcdefghijkl';
const S2 = 'rotation-secret-two-0123456789-abcdefghijkl';

/** Moves a browser's cookies to another instance's URL (the same site after a restart). */
function onApp(app: TestApp, from: Browser): Browser {
  const b = new Browser(app.url);
  for (const [k, v] of from.cookies) b.cookies.set(k, v);
  return b;
}

describe('AUTH_SESSION_SECRET rotation across a restart (S1 → S2,S1; issue 9, hole 6)', () => {
  let fx: ProviderFixture<FakeXt>;
  let redis: Redis;
  let prefix: string;
  const apps: TestApp[] = [];

  /** One "deployment" of the app: same Redis keys and encryption key, these cookie secrets. */
  async function deploy(sessionSecret: string[]): Promise<TestApp> {
    const app = await startTestApp({
      providers: [fx.definition],
      sessionSecret,
      store: SHARED_REDIS_URL,
      storeKeyPrefix: prefix,
    });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    fx = await xtFixture();
    redis = new Redis(SHARED_REDIS_URL);
    prefix = uniquePrefix('rotation');
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await fx?.fake.stop();
    await deleteUnder(redis, prefix);
    await redis.quit();
  });

  it('keeps sessions and finishes logins begun under S1 after restarting with S2,S1', async () => {
    const before = await deploy([S1]);
    const loggedIn = new Browser(before.url);
    expect((await login(loggedIn, 'xt', fx.fake)).callback.status).toBe(302);
    const midLogin = new Browser(before.url);
    const { callbackUrl } = await pendingLogin(midLogin, 'xt', fx.fake);
    await before.close();

    const after = await deploy([S2, S1]);
    const me = await onApp(after, loggedIn).get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(fx.userId);

    const resumed = onApp(after, midLogin);
    const callback = await resumed.get(callbackUrl.replace(before.url, after.url));
    expect(callback.status).toBe(302);
    expect([...resumed.cookies.keys()].filter((n) => n.startsWith('auth_tx_'))).toEqual([]);
    expect((await resumed.get('/me')).status).toBe(200);

    // new cookies are written under S2: an instance that has dropped S1 still reads them
    const fresh = new Browser(after.url);
    const { callbackUrl: freshCallback } = await pendingLogin(fresh, 'xt', fx.fake);
    const onlyS2 = await deploy([S2]);
    const finished = onApp(onlyS2, fresh);
    expect((await finished.get(freshCallback.replace(after.url, onlyS2.url))).status).toBe(302);
    expect((await finished.get('/me')).status).toBe(200);
    // ...and no longer accepts a cookie only S1 signed
    expect((await onApp(onlyS2, loggedIn).get('/me')).status).toBe(401);
  });
});
