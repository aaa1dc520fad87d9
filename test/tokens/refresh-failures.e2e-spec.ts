import { Redis } from 'ioredis';
import { PLATFORMS } from '../support/platforms';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from './refresh-knobs';
import { askToken, deleteUnder, loginOn, SHARED_REDIS_URL, uniquePrefix } from './token-apps';

/** Inside the 60 s skew: the first token request refreshes. */
const DUE_LIFETIME = 30;
const HTTP_TIMEOUT_MS = 300;
/** The TokenService's default: one attempt plus two retries. */
const ATTEMPTS = 3;

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(SEED_FIXTURES)('refresh failures with %s', (_id, makeFixture) => {
    let fx: ProviderFixture;
    let knobs: RefreshKnobs;
    let app: TestApp;
    let redis: Redis;
    let prefix: string;
    let displayName: string;

    beforeAll(async () => {
      fx = await makeFixture();
      knobs = refreshKnobs(fx);
      displayName = fx.definition.displayName;
      prefix = uniquePrefix('failures');
      redis = new Redis(SHARED_REDIS_URL);
      app = await startTestApp({
        platform,
        providers: [fx.definition],
        store: SHARED_REDIS_URL,
        storeKeyPrefix: prefix,
        httpTimeoutMs: HTTP_TIMEOUT_MS,
      });
    });
    afterAll(async () => {
      await app?.close();
      await fx?.fake.stop();
      await deleteUnder(redis, prefix);
      await redis.quit();
    });
    beforeEach(() => {
      fx.fake.reset();
      knobs.setAccessTokenLifetime(DUE_LIFETIME);
    });

    it('drops the grant on invalid_grant, answers 401 login_required with a login hint, and never calls the provider again', async () => {
      const browser = await loginOn(app, fx);
      knobs.forceInvalidGrant();

      const first = await askToken(browser, fx.id);
      expect(first.status).toBe(401);
      expect(first.body).toMatchObject({
        statusCode: 401,
        error: 'login_required',
        provider: fx.id,
        message: `Log in with ${displayName} again`,
      });
      expect(knobs.refreshCalls()).toHaveLength(1);

      // the grant is gone: the next request is refused without a refresh attempt
      const second = await askToken(browser, fx.id);
      expect(second.body).toMatchObject({
        statusCode: 401,
        error: 'login_required',
        provider: fx.id,
      });
      // a browser gets a page that links to the provider's login
      const page = await askToken(browser, fx.id, { accept: 'text/html' });
      expect(page.status).toBe(401);
      expect(page.text).toMatch(new RegExp(`href="/auth/${fx.id}/login[?"]`));
      expect(knobs.refreshCalls()).toHaveLength(1);

      // the session lives on, without the provider
      const me = await browser.get('/me');
      expect(me.status).toBe(200);
      expect((await me.json()).providers).not.toHaveProperty(fx.id);
    });

    it('retries once after a 503 and answers with the refreshed token', async () => {
      const browser = await loginOn(app, fx);
      knobs.setAccessTokenLifetime(3600);
      fx.fake.injectFault(fx.routes.refresh, 'status-503', 1);

      const answer = await askToken(browser, fx.id);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ provider: fx.id, refreshed: true });
      expect(answer.body.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
      expect(knobs.refreshCalls()).toHaveLength(2);
    });

    it('answers 504 when the provider hangs through every attempt, and keeps the grant for the next request', async () => {
      const browser = await loginOn(app, fx);
      fx.fake.injectFault(fx.routes.refresh, 'hang', ATTEMPTS);

      const answer = await askToken(browser, fx.id);
      expect(answer.status).toBe(504);
      expect(answer.body).toMatchObject({
        statusCode: 504,
        error: 'timeout',
        provider: fx.id,
      });
      // the transport layer names the provider by id today, the token layer by display name
      expect(answer.body.message).toMatch(
        new RegExp(
          `^(${fx.id}|${displayName}) did not answer the refresh request within ${HTTP_TIMEOUT_MS} ms$`,
        ),
      );
      expect(knobs.refreshCalls()).toHaveLength(ATTEMPTS);

      // a timeout is not a dead grant: once the provider answers again, the refresh goes through
      const later = await askToken(browser, fx.id);
      expect(later).toMatchObject({ status: 200, body: { refreshed: true } });
      expect(knobs.refreshCalls()).toHaveLength(ATTEMPTS + 1);
    });
  });
});
