import { Browser, onServer } from '../support/browser';
import { rawGet } from '../support/http-steps';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

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
    const seed = useSeedApp(makeFixture);

    it('sends the configured redirect_uri in the authorize URL and the token request', async () => {
      const browser = new Browser(seed.app.url);
      const start = await rawGet(browser, `/auth/${seed.fx.id}/login`, SPOOFED);
      expect(start.status).toBe(302);
      const authorizeUrl = new URL(start.location!);
      seed.fx.expectAuthorizeShape(authorizeUrl); // exact shape, redirect URI included
      expect(start.location).not.toContain('evil');

      const back = await seed.fx.fake.consent(authorizeUrl.toString());
      const callback = await rawGet(browser, onServer(back, seed.app.url), SPOOFED);
      expect(callback.status).toBe(302);
      const calls = seed.fx.fake.requestsTo(seed.fx.routes.token);
      expect(calls).toHaveLength(1);
      seed.fx.expectExchangeRequest(calls[0], new URL(back).searchParams.get('code')!);
      expect(JSON.stringify([calls[0].query, calls[0].body])).not.toContain('evil');
    });
  },
);
