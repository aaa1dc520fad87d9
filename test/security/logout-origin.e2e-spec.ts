import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { xtFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { TEST_BASE_URL } from '../support/test-app';

/** POST /auth/logout as a form another site (or a same-site subdomain) submits it. */
const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['another origin', { origin: 'https://evil.example' }],
  ['another port of the same host', { origin: 'http://localhost:4000' }],
  ['an opaque origin (null)', { origin: 'null' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  [
    'Sec-Fetch-Site: cross-site beside a forged same Origin',
    { origin: TEST_BASE_URL, 'sec-fetch-site': 'cross-site' },
  ],
];

describe('POST /auth/logout checks Origin and Sec-Fetch-Site when present (issue 9)', () => {
  const seed = useSeedApp(xtFixture);

  async function loggedIn(): Promise<Browser> {
    const browser = new Browser(seed.app.url);
    expect((await login(browser, 'xt', seed.fx.fake)).callback.status).toBe(302);
    return browser;
  }

  it.each(CROSS_SITE)(
    'refuses a logout from %s with 403 cross_site_request and leaves the session alone',
    async (_from, headers) => {
      const browser = await loggedIn();
      const out = await browser.post('/auth/logout', { accept: 'application/json', ...headers });
      expect(out.status).toBe(403);
      expect(await out.json()).toMatchObject({
        statusCode: 403,
        error: 'cross_site_request',
        message: expect.stringMatching(/another site/),
      });
      expect(out.headers.getSetCookie().join('\n')).not.toMatch(/auth_session=;/);
      expect((await browser.get('/me')).status).toBe(200);
    },
  );

  it('shows a browser’s cross-site form post an error page instead of logging out', async () => {
    const browser = await loggedIn();
    const out = await browser.post('/auth/logout', {
      accept: 'text/html',
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(out.status).toBe(403);
    expect(out.headers.get('content-type')).toMatch(/text\/html/);
    expect((await browser.get('/me')).status).toBe(200);
  });

  it.each<[string, Record<string, string>]>([
    ['its own origin', { origin: TEST_BASE_URL, 'sec-fetch-site': 'same-origin' }],
    ['its own origin, written in capitals', { origin: 'HTTP://LOCALHOST:3000' }],
    ['a user-initiated request (Sec-Fetch-Site: none)', { 'sec-fetch-site': 'none' }],
    ['a client that sends neither header', {}],
  ])('logs out a request from %s as before', async (_from, headers) => {
    const browser = await loggedIn();
    const out = await browser.post('/auth/logout', headers);
    expect(out.status).toBe(204);
    expect((await browser.get('/me')).status).toBe(401);
  });
});
