import { Browser } from '../support/browser';
import { PLATFORMS } from '../support/platforms';
import { pendingLogin, setCookies, type SetCookie } from '../support/http-steps';
import { xtFixture, type ProviderFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import type { TestApp } from '../support/test-app';

/** The attributes every cookie of ours must carry. */
function expectBaseAttributes(c: SetCookie, secure: boolean): void {
  expect(c.attrs.has('httponly')).toBe(true);
  expect(c.attrs.get('samesite')).toBe('Lax');
  expect(c.attrs.get('path')).toBe('/');
  expect(c.attrs.has('domain')).toBe(false);
  expect(c.attrs.has('secure')).toBe(secure);
  if (secure) expect(c.name.startsWith('__Host-')).toBe(true);
}

/** The value with one character changed. */
const flip = (v: string, at: number) =>
  v.slice(0, at) + (v[at] === 'A' ? 'B' : 'A') + v.slice(at + 1);

/** Logs in step by step and returns each step's cookies. */
async function loginCookies(app: TestApp, fx: ProviderFixture) {
  const browser = new Browser(app.url);
  const { start, callbackUrl } = await pendingLogin(browser, fx.id, fx.fake);
  const callback = await browser.get(callbackUrl);
  expect(callback.status).toBe(302);
  return { browser, atStart: setCookies(start), atCallback: setCookies(callback) };
}

/** SECURITY.md row 9: cookie attributes, signing, and the transaction cookie's short life. */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each([
    ['http', 'http://localhost:3000', false, 'auth_session'],
    ['https', 'https://app.example', true, '__Host-auth_session'],
  ] as const)('cookies of an app served over %s', (_scheme, baseUrl, secure, sessionName) => {
    const seed = useSeedApp(xtFixture, { platform, baseUrl });

    it('sets a short-lived, HttpOnly, SameSite=Lax transaction cookie at login', async () => {
      const { atStart } = await loginCookies(seed.app, seed.fx);
      expect(atStart).toHaveLength(1);
      const [tx] = atStart;
      expect(tx.name).toMatch(secure ? /^__Host-auth_tx_/ : /^auth_tx_/);
      expectBaseAttributes(tx, secure);
      const maxAge = Number(tx.attrs.get('max-age'));
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(600);
    });

    it('clears the transaction cookie and sets a signed HttpOnly session cookie at the callback', async () => {
      const { atStart, atCallback } = await loginCookies(seed.app, seed.fx);
      const cleared = atCallback.find((c) => c.name === atStart[0].name)!;
      expect(cleared.attrs.get('max-age')).toBe('0');
      expect(cleared.value).toBe('');
      expectBaseAttributes(cleared, secure);
      const session = atCallback.find((c) => c.name === sessionName)!;
      expectBaseAttributes(session, secure);
      expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    });

    it.each([
      ['a changed signature', (v: string) => flip(v, v.length - 10)],
      ['a changed session id', (v: string) => flip(v, 10)],
      ['the signature removed', (v: string) => v.slice(0, v.indexOf('.'))],
      ['an empty signature', (v: string) => v.slice(0, v.indexOf('.') + 1)],
    ])('answers 401 on /me for a session cookie with %s', async (_what, tamper) => {
      const { browser } = await loginCookies(seed.app, seed.fx);
      expect((await browser.get('/me')).status).toBe(200);
      browser.cookies.set(sessionName, tamper(browser.cookies.get(sessionName)!));
      const me = await browser.get('/me');
      expect(me.status).toBe(401);
      expect(await me.json()).toMatchObject({ error: 'login_required' });
    });
  });
});
