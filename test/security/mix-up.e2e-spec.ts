import { Browser } from '../support/browser';
import { pendingLogin, withQuery } from '../support/http-steps';
import { SEED_FIXTURES, tencentFixture, type ProviderFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

/** SECURITY.md row 5: a transaction remembers its provider; RFC 9207 `iss` is checked when present. */
describe('mix-up defence', () => {
  const fixtures: Record<string, ProviderFixture> = {};
  let app: TestApp;

  beforeAll(async () => {
    for (const [id, make] of SEED_FIXTURES) fixtures[id] = await make();
    app = await startTestApp({ providers: Object.values(fixtures).map((f) => f.definition) });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all(Object.values(fixtures).map((f) => f.fake.stop()));
  });
  beforeEach(() => Object.values(fixtures).forEach((f) => f.fake.reset()));

  const ids = SEED_FIXTURES.map(([id]) => id);
  const pairs = ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => [a, b] as const));

  it.each(pairs)('refuses a %s login whose callback arrives at the %s callback', async (a, b) => {
    const browser = new Browser(app.url);
    const { callbackUrl } = await pendingLogin(browser, a, fixtures[a].fake);
    const crossed = callbackUrl.replace(`/auth/${a}/callback`, `/auth/${b}/callback`);
    const res = await browser.get(crossed);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_state',
      message: `The login attempt was started for ${a}, but the callback arrived for ${b}; start the login again`,
    });
    expect(fixtures[a].fake.count(fixtures[a].routes.token)).toBe(0);
    expect(fixtures[b].fake.count(fixtures[b].routes.token)).toBe(0);
    expect((await browser.get('/me')).status).toBe(401);
  });
});

describe('RFC 9207 iss at the Tencent Cloud CIAM callback', () => {
  const seed = useSeedApp(tencentFixture);

  it('refuses a callback whose iss is another issuer, before any token call', async () => {
    const browser = new Browser(seed.app.url);
    const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
    const res = await browser.get(withQuery(callbackUrl, { iss: 'https://attacker.example' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_callback',
      provider: 'tencent-ciam',
      message: expect.stringMatching(/issuer does not match/),
    });
    expect(seed.fx.fake.count('token')).toBe(0);
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('accepts a callback whose iss is the configured issuer', async () => {
    const browser = new Browser(seed.app.url);
    const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
    const res = await browser.get(withQuery(callbackUrl, { iss: seed.fx.fake.url }));
    expect(res.status).toBe(302);
    expect(seed.fx.fake.count('token')).toBe(1);
  });
});
