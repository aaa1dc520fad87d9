import { oidc } from 'nestjs-auth-code';
import { FakeOidc } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { startTestApp, TEST_BASE_URL, type TestApp } from '../support/test-app';

/** FakeOidc's access tokens live 300 s: with a 600 s skew every token request refreshes first. */
const ALWAYS_DUE_SKEW_SECONDS = 600;

/** The refresh tokens the fake was asked to redeem, oldest first. */
function presentedRefreshTokens(fake: FakeOidc): string[] {
  return fake
    .requestsTo('token')
    .filter((r) => r.body?.grant_type === 'refresh_token')
    .map((r) => String(r.body?.refresh_token));
}

describe('a refresh answer that fails validation spends the refresh token (RFC 9700 4.14.2)', () => {
  let fake: FakeOidc;
  let app: TestApp;

  beforeAll(async () => {
    fake = new FakeOidc('rp-client');
    await fake.start();
    app = await startTestApp({
      providers: [
        oidc({
          issuer: fake.url,
          clientId: fake.clientId,
          clientSecret: 'rp-secret',
          redirectUri: `${TEST_BASE_URL}/auth/oidc/callback`,
        }),
      ],
      refreshSkewSeconds: ALWAYS_DUE_SKEW_SECONDS,
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  async function loggedIn(): Promise<Browser> {
    const browser = new Browser(app.url);
    const { callback } = await login(browser, 'oidc', fake);
    expect(callback.status).toBe(302);
    return browser;
  }

  it('refreshes with a new refresh token each time while the id_tokens are good (the control)', async () => {
    const browser = await loggedIn();
    for (let i = 0; i < 3; i++) {
      expect((await browser.get('/api/oidc/token')).status).toBe(200);
    }
    const presented = presentedRefreshTokens(fake);
    expect(presented).toHaveLength(3);
    expect(new Set(presented).size).toBe(3);
  });

  it.each<[string, (fake: FakeOidc) => void]>([
    ['a new id_token signed by a key outside the JWKS', (f) => (f.knobs.signing = 'foreign-key')],
    [
      'a new id_token for another user (continuity, OIDC Core 12.2)',
      (f) => (f.knobs.claims = (c) => ({ ...c, sub: 'mallory' })),
    ],
    [
      'a new id_token whose signing key cannot be fetched (JWKS down)',
      (f) => {
        f.rotateKey();
        f.injectFault('jwks', 'status-503', 10);
      },
    ],
  ])(
    'drops the grant after %s and never presents that refresh token again',
    async (_why, breakRefresh) => {
      const browser = await loggedIn();
      breakRefresh(fake);

      const first = await browser.get('/api/oidc/token');
      expect(first.status).toBe(401);
      expect(await first.json()).toMatchObject({ error: 'login_required', provider: 'oidc' });
      for (let i = 0; i < 3; i++) {
        const again = await browser.get('/api/oidc/token');
        expect(again.status).toBe(401);
        expect(await again.json()).toMatchObject({ error: 'login_required' });
      }

      const presented = presentedRefreshTokens(fake);
      expect(presented).toHaveLength(1);
      // the session itself lives on, without the spent grant
      const me = await browser.get('/me');
      expect(me.status).toBe(200);
      expect((await me.json()).providers).not.toHaveProperty('oidc');
    },
  );
});
