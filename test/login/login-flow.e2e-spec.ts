import { Browser } from '../support/browser';
import { PLATFORMS } from '../support/platforms';
import { login } from '../support/login-flow';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(SEED_FIXTURES)('login with %s against its fake', (_id, makeFixture) => {
    const seed = useSeedApp(makeFixture, { platform });

    it('redirects to the provider with exactly the documented authorize URL', async () => {
      const res = await new Browser(seed.app.url).get(`/auth/${seed.fx.id}/login`);
      expect(res.status).toBe(302);
      const state = seed.fx.expectAuthorizeShape(new URL(res.headers.get('location')!));
      expect(state.length).toBeGreaterThanOrEqual(43);
    });

    it('exchanges the code with exactly the documented token request', async () => {
      const browser = new Browser(seed.app.url);
      const steps = await login(browser, seed.fx.id, seed.fx.fake, { returnTo: '/welcome?x=1' });
      expect(steps.callback.status).toBe(302);
      expect(steps.callback.headers.get('location')).toBe('/welcome?x=1');
      const calls = seed.fx.fake.requestsTo(seed.fx.routes.token);
      expect(calls).toHaveLength(1);
      const code = new URL(steps.callbackUrl).searchParams.get('code')!;
      seed.fx.expectExchangeRequest(calls[0], code);
    });

    it('shows the profile and token expiry on /me, and never a token', async () => {
      const browser = new Browser(seed.app.url);
      await login(browser, seed.fx.id, seed.fx.fake);
      const me = await browser.get('/me');
      expect(me.status).toBe(200);
      const text = await me.text();
      const body = JSON.parse(text);
      expect(body.user).toMatchObject({ provider: seed.fx.id, id: seed.fx.userId });
      expect(body.providers[seed.fx.id].expiresAt).toBeGreaterThan(Date.now());
      expect(text).not.toMatch(/access_?token|refresh_?token|eyJ/i);
    });

    it('ends the session at logout', async () => {
      const browser = new Browser(seed.app.url);
      await login(browser, seed.fx.id, seed.fx.fake);
      const cookieBefore = [...browser.cookies.entries()];
      expect((await browser.get('/me')).status).toBe(200);
      const out = await browser.post('/auth/logout');
      expect(out.status).toBe(204);
      expect((await browser.get('/me')).status).toBe(401);
      // the old cookie value is dead server-side, not just deleted in this browser
      const replay = new Browser(seed.app.url);
      for (const [k, v] of cookieBefore) replay.cookies.set(k, v);
      expect((await replay.get('/me')).status).toBe(401);
    });

    it('answers 401 on /me without a session', async () => {
      const res = await new Browser(seed.app.url).get('/me');
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'login_required' });
    });
  });
});
