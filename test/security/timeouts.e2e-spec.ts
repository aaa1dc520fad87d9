import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** SECURITY.md row 15: every upstream call has a timeout, and a timeout is a clear 504. */
describe.each(SEED_FIXTURES)('a %s token endpoint that never answers', (_id, makeFixture) => {
  let fx: ProviderFixture;
  let app: TestApp;

  beforeAll(async () => {
    fx = await makeFixture();
    app = await startTestApp({ providers: [fx.definition], httpTimeoutMs: 300 });
  });
  afterAll(async () => {
    await app?.close();
    await fx?.fake.stop();
  });
  beforeEach(() => fx.fake.reset());

  it('ends the callback with a 504 naming the provider and the timeout, and stores nothing', async () => {
    fx.fake.injectFault(fx.routes.token, 'hang');
    const browser = new Browser(app.url);
    const { callback } = await login(browser, fx.id, fx.fake);
    expect(callback.status).toBe(504);
    expect(await callback.json()).toEqual({
      statusCode: 504,
      error: 'timeout',
      message: `${fx.id} did not answer the exchange request within 300 ms`,
      provider: fx.id,
    });
    expect(fx.fake.count(fx.routes.token)).toBe(1); // a code is single-use: never retried
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('logs in normally on the next attempt', async () => {
    fx.fake.injectFault(fx.routes.token, 'hang');
    await login(new Browser(app.url), fx.id, fx.fake);
    const browser = new Browser(app.url);
    const { callback } = await login(browser, fx.id, fx.fake);
    expect(callback.status).toBe(302);
    expect((await browser.get('/me')).status).toBe(200);
  });
});
