import { API_FIXTURES, type ApiFixture } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { startTestApp, type TestApp } from '../support/test-app';

const JSON_ACCEPT = { accept: 'application/json' };

describe.each(API_FIXTURES)(
  'TokenRefreshInterceptor on GET /api/%s/profile (real app, real fake)',
  (id, makeFixture) => {
    let fx: ApiFixture;
    let app: TestApp;
    const profile = `/api/${id}/profile`;

    beforeAll(async () => {
      fx = await makeFixture();
      app = await startTestApp({ providers: [fx.definition] });
    });
    afterAll(async () => {
      await app?.close();
      await fx?.fake.stop();
    });
    beforeEach(() => {
      fx.fake.reset();
      fx.knobs.issueLongLivedTokens(fx.fake);
    });

    async function loggedIn(): Promise<Browser> {
      const browser = new Browser(app.url);
      const steps = await login(browser, id, fx.fake);
      expect(steps.callback.status).toBe(302);
      fx.fake.requests.length = 0;
      return browser;
    }

    it('refreshes an expired token before the handler calls the API', async () => {
      fx.knobs.issueShortLivedTokens(fx.fake);
      const browser = await loggedIn();
      fx.knobs.issueLongLivedTokens(fx.fake);
      fx.knobs.killIssuedTokens(fx.fake);

      const res = await browser.get(profile, JSON_ACCEPT);

      expect(res.status).toBe(200);
      expect((await res.json()).provider).toBe(id);
      expect(fx.knobs.refreshCount(fx.fake)).toBe(1);
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(1);
      const routes = fx.fake.requests.map((r) => r.route);
      expect(routes.indexOf(fx.knobs.apiRoute)).toBeGreaterThan(
        routes.lastIndexOf(id === 'isolarcloud' ? 'refresh' : 'token'),
      );
    });

    it('does not refresh a fresh token', async () => {
      const browser = await loggedIn();
      const res = await browser.get(profile, JSON_ACCEPT);
      expect(res.status).toBe(200);
      expect(fx.knobs.refreshCount(fx.fake)).toBe(0);
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(1);
    });

    it('refreshes once and re-runs the handler once when the provider refuses the token mid-handler', async () => {
      const browser = await loggedIn();
      fx.knobs.killApiCalls(fx.fake, 1);

      const res = await browser.get(profile, JSON_ACCEPT);

      expect(res.status).toBe(200);
      expect((await res.json()).provider).toBe(id);
      expect(fx.knobs.refreshCount(fx.fake)).toBe(1);
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(2);
      const [first, second] = fx.fake.requestsTo(fx.knobs.apiRoute);
      expect(second.headers.authorization).not.toBe(first.headers.authorization);
    });

    it('answers 401 login_required when the refreshed token is refused too', async () => {
      const browser = await loggedIn();
      fx.knobs.killApiCalls(fx.fake, 2);

      const res = await browser.get(profile, JSON_ACCEPT);

      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        statusCode: 401,
        error: 'login_required',
        provider: id,
      });
      expect(fx.knobs.refreshCount(fx.fake)).toBe(1);
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(2);
    });

    it('shows a browser the login_required page with a link back into the login', async () => {
      const browser = await loggedIn();
      fx.knobs.killApiCalls(fx.fake, 2);

      const res = await browser.get(profile, { accept: 'text/html' });

      expect(res.status).toBe(401);
      const html = await res.text();
      expect(html).toContain(`href="/auth/${id}/login?returnTo=${encodeURIComponent(profile)}"`);
      expect(html).toContain('Log in again');
    });

    it('passes a rate limit through without refreshing or retrying', async () => {
      const browser = await loggedIn();
      fx.knobs.rateLimitApiCalls(fx.fake, 1);

      const res = await browser.get(profile, JSON_ACCEPT);

      expect(res.status).toBe(429);
      expect(await res.json()).toMatchObject({ error: 'rate_limited', provider: id });
      expect(fx.knobs.refreshCount(fx.fake)).toBe(0);
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(1);
    });

    it('answers 401 without a session and never calls the provider', async () => {
      const res = await new Browser(app.url).get(profile, JSON_ACCEPT);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'login_required' });
      expect(fx.fake.count(fx.knobs.apiRoute)).toBe(0);
    });
  },
);

describe('TokenRefreshInterceptor when the forced refresh itself is refused (iSolarCloud)', () => {
  let fx: ApiFixture;
  let app: TestApp;

  beforeAll(async () => {
    fx = await API_FIXTURES[0][1]();
    app = await startTestApp({ providers: [fx.definition] });
  });
  afterAll(async () => {
    await app?.close();
    await fx?.fake.stop();
  });

  it('answers 401 login_required, does not re-run the handler, and drops the dead grant', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', fx.fake);
    fx.fake.requests.length = 0;
    fx.knobs.killApiCalls(fx.fake, 1);
    (fx.fake as unknown as { forceError(r: string, c: string): void }).forceError('refresh', '2');

    const res = await browser.get('/api/isolarcloud/profile', JSON_ACCEPT);

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'login_required', provider: 'isolarcloud' });
    expect(fx.fake.count('plants')).toBe(1);
    expect(fx.fake.count('refresh')).toBe(1);
    const me = await (await browser.get('/me', JSON_ACCEPT)).json();
    expect(me.providers.isolarcloud).toBeUndefined();
  });
});
