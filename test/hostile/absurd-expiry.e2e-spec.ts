import { Browser } from '../support/browser';
import { answers, HostileProvider, hostileLogin } from '../support/hostile-provider';
import { startTestApp, type TestApp } from '../support/test-app';

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** An (unsigned) JWT access token with the given `exp`: only its lifetime is read, never trusted. */
const jwtWithExp = (exp: number) =>
  `${b64({ alg: 'HS256' })}.${b64({ sub: 'u', exp })}.c2lnbmF0dXJl`;

/** The expiry the home page shows for the grant (its `datetime`), as epoch ms. */
async function shownExpiry(browser: Browser, provider: string): Promise<number> {
  const page = await browser.get('/', { accept: 'text/html' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const iso = new RegExp(`data-testid="token-expiry-${provider}" datetime="([^"]+)"`).exec(
    html,
  )?.[1];
  expect(iso).toBeDefined();
  return Date.parse(iso!);
}

/**
 * Issue 9, hole 5: an absurd `expires_in` (1e20, 1e308, negative, not a number) or a JWT `exp` of
 * 1e20 is clamped to now ± 10 years, never stored as null or NaN, and the sample's pages never
 * throw on a date. Before, 1e20 made `GET /` answer 500 (RangeError) and 1e308 was stored as null,
 * so every call refreshed.
 */
describe('absurd token lifetimes', () => {
  const hostile = new HostileProvider();
  let app: TestApp;

  beforeAll(async () => {
    await hostile.start();
    app = await startTestApp({
      providers: [
        hostile.definition(),
        hostile.definition({ id: 'hostile-jwt', response: { expiresIn: 'jwt' } }),
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await hostile.stop();
  });
  beforeEach(() => hostile.reset());

  it.each([[1e20], [1e308], ['1e308'], [Number.MAX_VALUE]])(
    'clamps expires_in %p to 10 years: GET / answers 200 and no call refreshes',
    async (expiresIn) => {
      hostile.answer = answers.json(200, {
        access_token: 'at',
        refresh_token: 'rt',
        expires_in: expiresIn,
      });
      const browser = new Browser(app.url);
      const started = Date.now();
      expect((await hostileLogin(browser)).status).toBe(302);
      const shown = await shownExpiry(browser, 'hostile');
      expect(shown).toBeGreaterThanOrEqual(started + TEN_YEARS_MS - DAY_MS);
      expect(shown).toBeLessThanOrEqual(Date.now() + TEN_YEARS_MS);
      const token = await browser.get('/api/hostile/token', { accept: 'application/json' });
      expect(await token.json()).toEqual({
        provider: 'hostile',
        expiresAt: shown,
        refreshed: false,
      });
      expect(hostile.requests).toHaveLength(1);
    },
  );

  it.each([[-1e308], [-5], ['NaN'], ['1e400'], ['Infinity'], ['-Infinity'], ['soon'], [null]])(
    'stores a finite expiry for expires_in %p and the page still renders',
    async (expiresIn) => {
      hostile.answer = answers.json(200, {
        access_token: 'at',
        refresh_token: 'rt',
        expires_in: expiresIn,
      });
      const browser = new Browser(app.url);
      expect((await hostileLogin(browser)).status).toBe(302);
      const shown = await shownExpiry(browser, 'hostile');
      expect(Math.abs(shown - Date.now())).toBeLessThanOrEqual(TEN_YEARS_MS + DAY_MS);
    },
  );

  it('clamps a JWT exp of 1e20 to 10 years and GET / answers 200', async () => {
    hostile.answer = answers.json(200, { access_token: jwtWithExp(1e20), refresh_token: 'rt' });
    const browser = new Browser(app.url);
    expect((await hostileLogin(browser, 'hostile-jwt')).status).toBe(302);
    const shown = await shownExpiry(browser, 'hostile-jwt');
    expect(shown).toBeGreaterThan(Date.now() + TEN_YEARS_MS - DAY_MS);
    expect(shown).toBeLessThanOrEqual(Date.now() + TEN_YEARS_MS);
  });
});
