import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** SECURITY.md row 15: every upstream call has a timeout, and a timeout is a clear 504. */
describe.each(SEED_FIXTURES)('a %s token endpoint that never answers', (_id, makeFixture) => {
  const seed = useSeedApp(makeFixture, { httpTimeoutMs: 300 });

  it('ends the callback with a 504 naming the provider and the timeout, and stores nothing', async () => {
    seed.fx.fake.injectFault(seed.fx.routes.token, 'hang');
    const browser = new Browser(seed.app.url);
    const { callback } = await login(browser, seed.fx.id, seed.fx.fake);
    expect(callback.status).toBe(504);
    expect(await callback.json()).toEqual({
      statusCode: 504,
      error: 'timeout',
      message: `${seed.fx.id} did not answer the exchange request within 300 ms`,
      provider: seed.fx.id,
    });
    expect(seed.fx.fake.count(seed.fx.routes.token)).toBe(1); // a code is single-use: never retried
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('logs in normally on the next attempt', async () => {
    seed.fx.fake.injectFault(seed.fx.routes.token, 'hang');
    await login(new Browser(seed.app.url), seed.fx.id, seed.fx.fake);
    const browser = new Browser(seed.app.url);
    const { callback } = await login(browser, seed.fx.id, seed.fx.fake);
    expect(callback.status).toBe(302);
    expect((await browser.get('/me')).status).toBe(200);
  });
});
