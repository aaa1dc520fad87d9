import { SESSION_COOKIE } from '../support/api-fixtures';
import { PLATFORMS } from '../support/platforms';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import {
  isolarcloudFixture,
  tencentFixture,
  type ProviderFixture,
} from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

const API = { accept: 'application/json' };
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('SessionGuard (global in the sample app)', () => {
    let iso: ProviderFixture;
    let tencent: ProviderFixture;
    let app: TestApp;

    beforeAll(async () => {
      [iso, tencent] = await Promise.all([isolarcloudFixture(), tencentFixture()]);
      app = await startTestApp({
        platform,
        // the tests follow the home page's links, as a browser at the base URL does
        sameOrigin: true,
        providers: [iso.definition, tencent.definition],
      });
    });
    afterAll(async () => {
      await app?.close();
      await Promise.all([iso?.fake.stop(), tencent?.fake.stop()]);
    });

    async function loggedIn(): Promise<Browser> {
      const browser = new Browser(app.url);
      expect((await login(browser, iso.id, iso.fake)).callback.status).toBe(302);
      return browser;
    }

    describe('without a session', () => {
      it.each(['/me', '/api/isolarcloud/profile', '/api/isolarcloud/token'])(
        'answers an API client 401 JSON at %s',
        async (path) => {
          const res = await new Browser(app.url).get(path, API);
          expect(res.status).toBe(401);
          expect(res.headers.get('content-type')).toContain('application/json');
          expect(await res.json()).toEqual({
            statusCode: 401,
            error: 'login_required',
            message: 'You are not logged in',
          });
        },
      );

      it('redirects a browser to the login page with returnTo', async () => {
        const res = await new Browser(app.url).get('/api/isolarcloud/profile?x=1', HTML);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe(
          `/?returnTo=${encodeURIComponent('/api/isolarcloud/profile?x=1')}`,
        );
      });

      it('lands the browser where it wanted to go after logging in from the login page', async () => {
        const browser = new Browser(app.url);
        const bounce = await browser.get('/me', HTML);
        const page = await (await browser.get(bounce.headers.get('location')!, HTML)).text();
        const href = /data-testid="login-isolarcloud" href="([^"]+)"/.exec(page)?.[1];
        expect(href).toBe('/auth/isolarcloud/login?returnTo=%2Fme');
        const returnTo = new URL(href!.replace(/&amp;/g, '&'), 'http://x').searchParams.get(
          'returnTo',
        )!;
        const steps = await login(browser, iso.id, iso.fake, { returnTo });
        expect(steps.callback.headers.get('location')).toBe('/me');
        expect((await browser.get('/me', API)).status).toBe(200);
      });

      it('turns away a session cookie whose signature does not verify', async () => {
        const browser = await loggedIn();
        const signed = browser.cookies.get(SESSION_COOKIE)!;
        const forged = new Browser(app.url);
        forged.cookies.set(SESSION_COOKIE, `${signed.slice(0, signed.lastIndexOf('.'))}.AAAA`);
        expect((await forged.get('/me', API)).status).toBe(401);
        const unsigned = new Browser(app.url);
        unsigned.cookies.set(SESSION_COOKIE, signed.slice(0, signed.lastIndexOf('.')));
        expect((await unsigned.get('/me', API)).status).toBe(401);
        expect((await browser.get('/me', API)).status).toBe(200);
      });

      it.each([
        ['/', 200],
        ['/auth/isolarcloud/login', 302],
      ])('leaves the @Public() route %s open', async (path, status) => {
        const res = await new Browser(app.url).get(path, HTML);
        expect(res.status).toBe(status);
      });

      it('lets logout through without a session (and it does nothing harmful)', async () => {
        expect((await new Browser(app.url).post('/auth/logout', API)).status).toBe(204);
      });
    });

    describe('with a session', () => {
      it('attaches the user: /me shows the session profile', async () => {
        const browser = await loggedIn();
        const res = await browser.get('/me', API);
        expect(res.status).toBe(200);
        expect((await res.json()).user).toMatchObject({ provider: 'isolarcloud', id: iso.userId });
      });
    });

    describe('session fixation (SECURITY row 8)', () => {
      it('issues a new session id at login even when the browser already had a session', async () => {
        const browser = await loggedIn();
        const first = browser.cookies.get(SESSION_COOKIE)!;
        const stale = new Browser(app.url);
        stale.cookies.set(SESSION_COOKIE, first);

        await login(browser, tencent.id, tencent.fake);
        const second = browser.cookies.get(SESSION_COOKIE)!;

        expect(second).not.toBe(first);
        expect((await stale.get('/me', API)).status).toBe(401);
        const me = await (await browser.get('/me', API)).json();
        expect(Object.keys(me.providers).sort()).toEqual(['isolarcloud', 'tencent-ciam']);
      });

      it('issues a new session id when logging in again with the same provider', async () => {
        const browser = await loggedIn();
        const first = browser.cookies.get(SESSION_COOKIE)!;
        await login(browser, iso.id, iso.fake);
        expect(browser.cookies.get(SESSION_COOKIE)).not.toBe(first);
        const replay = new Browser(app.url);
        replay.cookies.set(SESSION_COOKIE, first);
        expect((await replay.get('/me', API)).status).toBe(401);
      });

      it('ignores a session id planted before login: the login gets its own', async () => {
        const planted = new Browser(app.url);
        planted.cookies.set(SESSION_COOKIE, 'attacker-chosen-id.signature');
        await login(planted, iso.id, iso.fake);
        expect(planted.cookies.get(SESSION_COOKIE)).not.toContain('attacker-chosen-id');
        expect((await planted.get('/me', API)).status).toBe(200);
      });
    });

    describe('logout (SECURITY row 8)', () => {
      it.each(['GET', 'PUT', 'DELETE'])(
        'does nothing for %s /auth/logout: 404 and the session stays valid',
        async (method) => {
          const browser = await loggedIn();
          const res = await browser.request(method, '/auth/logout', API);
          expect([404, 405]).toContain(res.status);
          expect(res.headers.getSetCookie().join('\n')).not.toContain(SESSION_COOKIE);
          expect((await browser.get('/me', API)).status).toBe(200);
        },
      );

      it('destroys the session server-side on POST: the old cookie is unauthenticated afterwards', async () => {
        const browser = await loggedIn();
        const cookie = browser.cookies.get(SESSION_COOKIE)!;
        const res = await browser.post('/auth/logout', HTML);
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe('/');
        expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
        const replay = new Browser(app.url);
        replay.cookies.set(SESSION_COOKIE, cookie);
        expect((await replay.get('/me', API)).status).toBe(401);
      });

      it('accepts the plain HTML form post the home page sends', async () => {
        const browser = await loggedIn();
        const res = await browser.post(
          '/auth/logout',
          { ...HTML, 'content-type': 'application/x-www-form-urlencoded' },
          '',
        );
        expect(res.status).toBe(303);
        expect((await browser.get('/me', API)).status).toBe(401);
      });
    });
  });

  describe('SessionGuard with a configured login path', () => {
    const seed = useSeedApp(isolarcloudFixture, { platform, loginPath: '/welcome' });

    it('redirects browsers there with returnTo', async () => {
      const res = await new Browser(seed.app.url).get('/me', HTML);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/welcome?returnTo=%2Fme');
    });

    it('still answers API clients 401 JSON', async () => {
      const res = await new Browser(seed.app.url).get('/me', API);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe('login_required');
    });
  });
});
