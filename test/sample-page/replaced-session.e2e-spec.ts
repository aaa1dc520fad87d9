import { SESSION_COOKIE } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const HTML = { accept: 'text/html' };
const RELOAD = '<meta http-equiv="refresh" content="1">';

describe.each(PLATFORMS)(
  'a page loaded with a session another tab has just replaced (%s)',
  (platform) => {
    let fx: ProviderFixture;
    let app: TestApp;

    beforeAll(async () => {
      fx = await isolarcloudFixture();
      app = await startTestApp({ platform, providers: [fx.definition], plantMonitorSeconds: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await fx?.fake.stop();
    });

    it('is logged out (SECURITY row 8) but reloads, where the new cookie finds the new session', async () => {
      const browser = new Browser(app.url);
      await login(browser, fx.id, fx.fake);
      // tab A still sends the first cookie while tab B's login replaces the session
      const tabA = new Browser(app.url);
      tabA.cookies.set(SESSION_COOKIE, browser.cookies.get(SESSION_COOKIE)!);
      await login(browser, fx.id, fx.fake);

      expect((await tabA.get('/me', { accept: 'application/json' })).status).toBe(401);
      const stale = await (await tabA.get('/', HTML)).text();
      expect(stale).toContain(RELOAD);
      expect(stale).not.toContain('data-testid="profile-provider"');

      const fresh = await (await browser.get('/', HTML)).text();
      expect(fresh).not.toContain(RELOAD);
      expect(fresh).toContain('data-testid="profile-provider"');
    });

    it('does not reload for a cookie of a session that ended otherwise (logout, unknown)', async () => {
      const browser = new Browser(app.url);
      await login(browser, fx.id, fx.fake);
      const old = new Browser(app.url);
      old.cookies.set(SESSION_COOKIE, browser.cookies.get(SESSION_COOKIE)!);
      await browser.post('/auth/logout', { accept: 'application/json' });
      expect(await (await old.get('/', HTML)).text()).not.toContain(RELOAD);
      expect(await (await new Browser(app.url).get('/', HTML)).text()).not.toContain(RELOAD);
    });
  },
);
