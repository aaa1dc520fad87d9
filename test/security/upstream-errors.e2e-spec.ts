import type { FakeFault } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { SEED_FIXTURES } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** Garbage a token endpoint can answer, and the error the browser must get for it. */
const GARBAGE: Array<[FakeFault, number, string, RegExp]> = [
  ['html-200', 502, 'invalid_response', /HTTP 200 and a body that is not JSON \(text\/html/],
  ['html-502', 502, 'server_error', /HTTP 502/],
  ['truncated-json', 502, 'invalid_response', /HTTP 200 and a body that is not JSON/],
  [
    'no-access-token',
    502,
    'invalid_response',
    /without an access token|neither a success nor an error code/,
  ],
  ['status-503', 503, 'temporarily_unavailable', /HTTP 503/],
  ['status-429', 429, 'rate_limited', /refused the exchange request/],
  ['connection-reset', 502, 'network_error', /could not be reached for the exchange request/],
];

const BODY_KEYS = ['error', 'message', 'provider', 'providerCode', 'statusCode'];

/** SECURITY.md row 16: upstream garbage at the token endpoint becomes a typed error, never a 500. */
describe.each(SEED_FIXTURES)('%s token endpoint answering garbage', (_id, makeFixture) => {
  const seed = useSeedApp(makeFixture);

  it.each(GARBAGE)(
    'turns %s into a typed %i %s and stores nothing',
    async (fault, status, error, message) => {
      seed.fx.fake.injectFault(seed.fx.routes.token, fault);
      const browser = new Browser(seed.app.url);
      const { callback } = await login(browser, seed.fx.id, seed.fx.fake);
      expect(callback.status).toBe(status);
      const body = await callback.json();
      expect(body).toMatchObject({
        statusCode: status,
        error,
        provider: seed.fx.id,
        message: expect.stringMatching(message),
      });
      expect(BODY_KEYS).toEqual(expect.arrayContaining(Object.keys(body)));
      expect(JSON.stringify(body)).not.toMatch(/<html|Maintenance|Bad Gateway|"abc/);
      expect(
        callback.headers
          .getSetCookie()
          .some((c) => c.includes('auth_session=') && !c.includes('Max-Age=0')),
      ).toBe(false);
      expect((await browser.get('/me')).status).toBe(401);
      // the app is still healthy
      const again = new Browser(seed.app.url);
      expect((await login(again, seed.fx.id, seed.fx.fake)).callback.status).toBe(302);
    },
  );
});
