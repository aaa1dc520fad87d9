import { Browser, onServer } from '../support/browser';
import { rawGet } from '../support/http-steps';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const SPOOFED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  forwarded: 'host=evil.example;proto=https',
};

/** SECURITY.md row 6: redirect_uri is configuration, never built from Host / X-Forwarded-Host. */
describe.each(SEED_FIXTURES)(
  'redirect_uri of a %s login under spoofed Host headers',
  (_id, makeFixture) => {
    let fx: ProviderFixture;
    let app: TestApp;

    beforeAll(async () => {
      fx = await makeFixture();
      app = await startTestApp({ providers: [fx.definition] });
    });
    afterAll(async () => {
      await app?.close();
      await fx?.fake.stop();
    });
    beforeEach(() => fx.fake.reset());

    it('sends the configured redirect_uri in the authorize URL and the token request', async () => {
      const browser = new Browser(app.url);
      const start = await rawGet(browser, `/auth/${fx.id}/login`, SPOOFED);
      expect(start.status).toBe(302);
      const authorizeUrl = new URL(start.location!);
      fx.expectAuthorizeShape(authorizeUrl); // exact shape, redirect URI included
      expect(start.location).not.toContain('evil');

      const back = await fx.fake.consent(authorizeUrl.toString());
      const callback = await rawGet(browser, onServer(back, app.url), SPOOFED);
      expect(callback.status).toBe(302);
      const calls = fx.fake.requestsTo(fx.routes.token);
      expect(calls).toHaveLength(1);
      fx.expectExchangeRequest(calls[0], new URL(back).searchParams.get('code')!);
      expect(JSON.stringify([calls[0].query, calls[0].body])).not.toContain('evil');
    });
  },
);
