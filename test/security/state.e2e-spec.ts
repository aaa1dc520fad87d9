import { randomBytes } from 'node:crypto';
import { PLATFORMS } from '../support/platforms';
import { Browser } from '../support/browser';
import { pendingLogin, setCookies, withQuery } from '../support/http-steps';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

/** SECURITY.md row 1 and 2: state is per transaction, single-use, short-lived, bound to the browser. */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(SEED_FIXTURES)('state of a %s login', (_id, makeFixture) => {
    const seed = useSeedApp(makeFixture, { platform });

    const tokenCalls = () => seed.fx.fake.count(seed.fx.routes.token);

    async function expectRefused(res: Response, message: RegExp): Promise<void> {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        statusCode: 400,
        error: 'invalid_state',
        message: expect.stringMatching(message),
      });
      expect(tokenCalls()).toBe(0);
    }

    it('refuses a callback without state, before any token call', async () => {
      const browser = new Browser(seed.app.url);
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
      await expectRefused(
        await browser.get(withQuery(callbackUrl, { state: undefined })),
        /no state parameter/,
      );
    });

    it('refuses a callback whose state is not the one this login sent', async () => {
      const browser = new Browser(seed.app.url);
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
      const forged = randomBytes(32).toString('base64url');
      await expectRefused(
        await browser.get(withQuery(callbackUrl, { state: forged })),
        /start the login again/,
      );
    });

    it('refuses a replayed callback even with the transaction cookie kept', async () => {
      const browser = new Browser(seed.app.url);
      const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
      const attacker = browser.clone(); // still holds the transaction cookie the callback clears
      expect((await browser.get(callbackUrl)).status).toBe(302);
      expect(tokenCalls()).toBe(1);
      const replay = await attacker.get(callbackUrl);
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({
        error: 'invalid_state',
        message: expect.stringMatching(/already used/),
      });
      expect(tokenCalls()).toBe(1);
    });

    it("refuses another browser's validly signed transaction cookie sent under this login's name", async () => {
      const set = (res: Response) => {
        const live = setCookies(res).filter(
          (c) => c.value !== '' && c.attrs.get('max-age') !== '0',
        );
        expect(live).toHaveLength(1); // the login's own transaction cookie
        return live[0];
      };
      const victim = new Browser(seed.app.url);
      const pending = await pendingLogin(victim, seed.fx.id, seed.fx.fake);
      const attacker = new Browser(seed.app.url);
      const own = await pendingLogin(attacker, seed.fx.id, seed.fx.fake);
      const forger = new Browser(seed.app.url);
      forger.cookies.set(set(pending.start).name, set(own.start).value);
      await expectRefused(await forger.get(pending.callbackUrl), /started in another browser/);
      expect((await forger.get('/me')).status).toBe(401);
    });

    it("refuses another browser's callback and leaves the real login usable", async () => {
      const victim = new Browser(seed.app.url);
      const { callbackUrl } = await pendingLogin(victim, seed.fx.id, seed.fx.fake);
      const other = new Browser(seed.app.url);
      await pendingLogin(other, seed.fx.id, seed.fx.fake); // the other browser has a login of its own going
      await expectRefused(await other.get(callbackUrl), /started in another browser/);
      expect((await other.get('/me')).status).toBe(401);
      expect((await victim.get(callbackUrl)).status).toBe(302);
      expect((await victim.get('/me')).status).toBe(200);
    });

    it('completes two logins started in two tabs of one browser, finished in reverse order', async () => {
      const browser = new Browser(seed.app.url);
      const first = await pendingLogin(browser, seed.fx.id, seed.fx.fake, { returnTo: '/first' });
      const second = await pendingLogin(browser, seed.fx.id, seed.fx.fake, { returnTo: '/second' });
      const done2 = await browser.get(second.callbackUrl);
      const done1 = await browser.get(first.callbackUrl);
      expect([done2.status, done2.headers.get('location')]).toEqual([302, '/second']);
      expect([done1.status, done1.headers.get('location')]).toEqual([302, '/first']);
      expect(tokenCalls()).toBe(2);
      expect((await browser.get('/me')).status).toBe(200);
    });

    describe('with a one-second transaction lifetime', () => {
      let shortLived: TestApp;
      beforeAll(async () => {
        shortLived = await startTestApp({
          platform,
          providers: [seed.fx.definition],
          transactionTtlSeconds: 1,
        });
      });
      afterAll(() => shortLived?.close());

      it('still completes a callback that arrives in time', async () => {
        const browser = new Browser(shortLived.url);
        const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
        expect((await browser.get(callbackUrl)).status).toBe(302);
      });

      it('refuses a callback that arrives after the transaction expired', async () => {
        const browser = new Browser(shortLived.url);
        const { callbackUrl } = await pendingLogin(browser, seed.fx.id, seed.fx.fake);
        await new Promise((r) => setTimeout(r, 1100));
        await expectRefused(await browser.get(callbackUrl), /unknown, expired or already used/);
      });
    });
  });
});
