import { API_FIXTURES } from '../support/api-fixtures';
import { PLATFORMS } from '../support/platforms';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { useSeedApp } from '../support/seed-app';

const JSON_ACCEPT = { accept: 'application/json' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(API_FIXTURES)(
    'TokenRefreshInterceptor on GET /api/%s/profile (real app, real fake)',
    (id, makeFixture) => {
      const seed = useSeedApp(makeFixture, { platform });
      const profile = `/api/${id}/profile`;
      beforeEach(() => seed.fx.knobs.issueLongLivedTokens(seed.fx.fake));

      async function loggedIn(): Promise<Browser> {
        const browser = new Browser(seed.app.url);
        const steps = await login(browser, id, seed.fx.fake);
        expect(steps.callback.status).toBe(302);
        seed.fx.fake.requests.length = 0;
        return browser;
      }

      it('refreshes an expired token before the handler calls the API', async () => {
        seed.fx.knobs.issueShortLivedTokens(seed.fx.fake);
        const browser = await loggedIn();
        seed.fx.knobs.issueLongLivedTokens(seed.fx.fake);
        seed.fx.knobs.killIssuedTokens(seed.fx.fake);

        const res = await browser.get(profile, JSON_ACCEPT);

        expect(res.status).toBe(200);
        expect((await res.json()).provider).toBe(id);
        expect(seed.fx.knobs.refreshCount(seed.fx.fake)).toBe(1);
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(1);
        const routes = seed.fx.fake.requests.map((r) => r.route);
        expect(routes.indexOf(seed.fx.knobs.apiRoute)).toBeGreaterThan(
          routes.lastIndexOf(id === 'isolarcloud' ? 'refresh' : 'token'),
        );
      });

      it('does not refresh a fresh token', async () => {
        const browser = await loggedIn();
        const res = await browser.get(profile, JSON_ACCEPT);
        expect(res.status).toBe(200);
        expect(seed.fx.knobs.refreshCount(seed.fx.fake)).toBe(0);
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(1);
      });

      it('refreshes once and re-runs the handler once when the provider refuses the token mid-handler', async () => {
        const browser = await loggedIn();
        seed.fx.knobs.killApiCalls(seed.fx.fake, 1);

        const res = await browser.get(profile, JSON_ACCEPT);

        expect(res.status).toBe(200);
        expect((await res.json()).provider).toBe(id);
        expect(seed.fx.knobs.refreshCount(seed.fx.fake)).toBe(1);
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(2);
        const [first, second] = seed.fx.fake.requestsTo(seed.fx.knobs.apiRoute);
        expect(second.headers.authorization).not.toBe(first.headers.authorization);
      });

      it('answers 401 login_required when the refreshed token is refused too', async () => {
        const browser = await loggedIn();
        seed.fx.knobs.killApiCalls(seed.fx.fake, 2);

        const res = await browser.get(profile, JSON_ACCEPT);

        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({
          statusCode: 401,
          error: 'login_required',
          provider: id,
        });
        expect(seed.fx.knobs.refreshCount(seed.fx.fake)).toBe(1);
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(2);
      });

      it('shows a browser the login_required page with a link back into the login', async () => {
        const browser = await loggedIn();
        seed.fx.knobs.killApiCalls(seed.fx.fake, 2);

        const res = await browser.get(profile, { accept: 'text/html' });

        expect(res.status).toBe(401);
        const html = await res.text();
        expect(html).toContain(`href="/auth/${id}/login?returnTo=${encodeURIComponent(profile)}"`);
        expect(html).toContain('Log in again');
      });

      it('passes a rate limit through without refreshing or retrying', async () => {
        const browser = await loggedIn();
        seed.fx.knobs.rateLimitApiCalls(seed.fx.fake, 1);

        const res = await browser.get(profile, JSON_ACCEPT);

        expect(res.status).toBe(429);
        expect(await res.json()).toMatchObject({ error: 'rate_limited', provider: id });
        expect(seed.fx.knobs.refreshCount(seed.fx.fake)).toBe(0);
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(1);
      });

      it('answers 401 without a session and never calls the provider', async () => {
        const res = await new Browser(seed.app.url).get(profile, JSON_ACCEPT);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'login_required' });
        expect(seed.fx.fake.count(seed.fx.knobs.apiRoute)).toBe(0);
      });
    },
  );

  describe('TokenRefreshInterceptor when the forced refresh itself is refused (iSolarCloud)', () => {
    const seed = useSeedApp(API_FIXTURES[0][1], { platform });

    it('answers 401 login_required, does not re-run the handler, and drops the dead grant', async () => {
      const browser = new Browser(seed.app.url);
      await login(browser, 'isolarcloud', seed.fx.fake);
      seed.fx.fake.requests.length = 0;
      seed.fx.knobs.killApiCalls(seed.fx.fake, 1);
      (seed.fx.fake as unknown as { forceError(r: string, c: string): void }).forceError(
        'refresh',
        '2',
      );

      const res = await browser.get('/api/isolarcloud/profile', JSON_ACCEPT);

      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'login_required', provider: 'isolarcloud' });
      expect(seed.fx.fake.count('plants')).toBe(1);
      expect(seed.fx.fake.count('refresh')).toBe(1);
      const me = await (await browser.get('/me', JSON_ACCEPT)).json();
      expect(me.providers.isolarcloud).toBeUndefined();
    });
  });
});
