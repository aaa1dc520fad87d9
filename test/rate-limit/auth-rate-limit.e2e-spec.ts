import { FakeXt } from 'nestjs-auth-code/testing';
import { PLATFORMS } from '../support/platforms';
import { Browser } from '../support/browser';
import { startEnvApp, xtEnvironment } from '../support/env-app';
import { login } from '../support/login-flow';
import { xtFixture, type ProviderFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

const API = { accept: 'application/json' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('rate limit on /auth/* (SECURITY row 20), rateLimit option', () => {
    let fx: ProviderFixture;
    let app: TestApp;

    beforeEach(async () => {
      fx = await xtFixture();
      app = await startTestApp({ platform, providers: [fx.definition], rateLimit: 4 });
    });
    afterEach(async () => {
      await app?.close();
      await fx?.fake.stop();
    });

    it('answers 429 with Retry-After to a burst beyond the limit, and makes no provider call for it', async () => {
      const browser = new Browser(app.url);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await browser.get('/auth/xt/login', API)).status);
      expect(statuses).toEqual([302, 302, 302, 302, 429, 429]);
      const refused = await browser.get('/auth/xt/callback?code=c&state=s', API);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ statusCode: 429 });
      expect(fx.fake.count('token')).toBe(0);
    });

    it('counts login, callback and logout against one budget per client', async () => {
      const browser = new Browser(app.url);
      await login(browser, 'xt', fx.fake);
      expect((await browser.post('/auth/logout', API)).status).toBe(204);
      expect((await browser.get('/auth/xt/login', API)).status).toBe(302);
      expect((await browser.post('/auth/logout', API)).status).toBe(429);
    });

    it('limits a concurrent burst as well', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () =>
          new Browser(app.url).get('/auth/xt/login', API).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 302)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    });

    it('leaves routes outside /auth unlimited', async () => {
      const browser = new Browser(app.url);
      for (let i = 0; i < 8; i++)
        expect((await browser.get('/', { accept: 'text/html' })).status).toBe(200);
      for (let i = 0; i < 8; i++) expect((await browser.get('/me', API)).status).toBe(401);
    });
  });

  describe('rate limit on /auth/* from AUTH_RATE_LIMIT', () => {
    let fake: FakeXt;
    let app: TestApp;

    beforeAll(async () => {
      fake = new FakeXt();
      await fake.start();
      app = await startEnvApp({ ...xtEnvironment(fake), AUTH_RATE_LIMIT: '2' }, platform);
    });
    afterAll(async () => {
      await app?.close();
      await fake?.stop();
    });

    it('takes the limit from the environment', async () => {
      const browser = new Browser(app.url);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await browser.get('/auth/xt/login', API)).status);
      expect(statuses).toEqual([302, 302, 429]);
    });
  });

  describe('rate limit default', () => {
    const seed = useSeedApp(xtFixture, { platform });

    it('allows 300 requests per minute per client', async () => {
      const res = await new Browser(seed.app.url).get('/auth/xt/login', API);
      expect(res.status).toBe(302);
      expect(res.headers.get('x-ratelimit-limit')).toBe('300');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('299');
    });
  });
});
