import { Browser } from '../support/browser';
import { PLATFORMS } from '../support/platforms';
import { pendingLogin, setCookies } from '../support/http-steps';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

const LONG = 'a'.repeat(10 * 1024);

/** A malformed callback query, built from the real `code` and `state` of a pending login. */
type BadQuery = [label: string, query: (code: string, state: string) => string, message: RegExp];

const BAD: BadQuery[] = [
  ['code and state missing', () => '', /no state parameter/],
  ['only unrelated parameters', () => 'utm_source=mail', /no state parameter/],
  ['code missing', (_c, s) => `state=${s}`, /"code" is missing/],
  ['code empty', (_c, s) => `code=&state=${s}`, /"code" is empty/],
  ['state missing', (c) => `code=${c}`, /no state parameter/],
  ['state empty', (c) => `code=${c}&state=`, /"state" is empty/],
  [
    'code[] array',
    (_c, s) => `code[]=a&code[]=b&state=${s}`,
    /"code" (is missing|must appear exactly once)/,
  ],
  ['code repeated', (c, s) => `code=${c}&code=b&state=${s}`, /"code" must appear exactly once/],
  [
    'state repeated',
    (c, s) => `code=${c}&state=${s}&state=${s}`,
    /"state" must appear exactly once/,
  ],
  ['code of 10 KB', (_c, s) => `code=${LONG}&state=${s}`, /"code" is longer than/],
  ['state of 10 KB', (c) => `code=${c}&state=${LONG}`, /"state" is longer than/],
  [
    'unicode code',
    (_c, s) => `code=${encodeURIComponent('cødé✓')}&state=${s}`,
    /"code" contains characters outside/,
  ],
  [
    'unicode state',
    (c) => `code=${c}&state=${encodeURIComponent('stätе')}`,
    /"state" contains characters outside/,
  ],
  [
    'control characters in code',
    (_c, s) => `code=a%00%0d%0ab&state=${s}`,
    /"code" contains characters outside/,
  ],
];

/** SECURITY.md row 18: bad input at the callback → clear 4xx, nothing stored, no token call. */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(SEED_FIXTURES)('%s callback with bad input', (_id, makeFixture) => {
    const seed = useSeedApp(makeFixture, { platform });

    /** Sends `query` to the callback of a real pending login of `browser`. */
    async function callback(
      browser: Browser,
      query: BadQuery[1],
      headers: Record<string, string> = {},
    ) {
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
      const u = new URL(callbackUrl);
      const q = query(u.searchParams.get('code')!, u.searchParams.get('state')!);
      return browser.get(`${u.origin}${u.pathname}?${q}`, headers);
    }

    async function expectNothingStored(browser: Browser, res: Response): Promise<void> {
      expect(setCookies(res).filter((c) => c.value !== '')).toEqual([]); // no session, no new login
      expect((await browser.get('/me')).status).toBe(401);
      expect(seed.fx.fake.count(seed.fx.routes.token)).toBe(0);
    }

    it.each(BAD)('answers 400 for %s', async (_label, query, message) => {
      const browser = new Browser(seed.app.url);
      const res = await callback(browser, query, { accept: 'application/json' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        statusCode: 400,
        error: expect.stringMatching(/^invalid_(state|callback)$/),
        message: expect.stringMatching(message),
      });
      await expectNothingStored(browser, res);
    });

    it('answers 403 access_denied when the user denies consent, with JSON for an API client', async () => {
      const browser = new Browser(seed.app.url);
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake, {
        decision: 'deny',
      });
      const res = await browser.get(callbackUrl, { accept: 'application/json' });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({
        statusCode: 403,
        error: 'access_denied',
        provider: seed.fx.id,
        providerCode: 'access_denied',
      });
      await expectNothingStored(browser, res);
    });

    it('shows a browser a readable, escaped HTML page for a provider error with a description', async () => {
      const browser = new Browser(seed.app.url);
      const description = '<script>alert(1)</script> The user said no';
      const query: BadQuery[1] = (_c, s) =>
        `error=access_denied&error_description=${encodeURIComponent(description)}&state=${s}`;
      const res = await callback(browser, query, { accept: 'text/html,application/xhtml+xml' });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<h1 id="error-title">Sign-in problem (403)</h1>');
      expect(html).toContain('The user said no');
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).toContain(`href="/auth/${seed.fx.id}/login"`);
      await expectNothingStored(browser, res);
    });

    it('keeps serving logins after all of the above', async () => {
      const browser = new Browser(seed.app.url);
      for (const [, query] of BAD) await callback(browser, query);
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
      expect((await browser.get(callbackUrl)).status).toBe(302);
      expect((await browser.get('/me')).status).toBe(200);
    });
  });
});
