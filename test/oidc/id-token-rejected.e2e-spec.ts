import { oidc } from 'nestjs-auth-code';
import { FakeOidc, type FakeOidcKnobs } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { startTestApp, TEST_BASE_URL, type TestApp } from '../support/test-app';

/** id_tokens a Relying Party must refuse (OpenID Connect Core 3.1.3.7), as FakeOidc signs them. */
const BAD_ID_TOKENS: Array<[string, FakeOidcKnobs]> = [
  ['signed with a key that is not in the JWKS', { signing: 'foreign-key' }],
  [
    'carrying another nonce than the login sent',
    { claims: (c) => ({ ...c, nonce: 'replayed-nonce' }) },
  ],
  ['without a nonce', { claims: ({ nonce: _nonce, ...c }) => c }],
  ['unsigned (alg none)', { signing: 'none' }],
  ['issued for another client', { claims: (c) => ({ ...c, aud: 'another-client' }) }],
  ['already expired', { claims: (c) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 }) }],
];

describe('the sample app refusing a login whose id_token fails validation', () => {
  let fake: FakeOidc;
  let app: TestApp;

  beforeAll(async () => {
    // registered as a real OP would have it: the fake checks the secret and the redirect_uri
    fake = new FakeOidc({
      clientId: 'rp-client',
      clientSecret: 'rp-secret',
      redirectUris: [`${TEST_BASE_URL}/auth/oidc/callback`],
    });
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
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('logs in and calls userinfo once when the id_token is good (the control)', async () => {
    const browser = new Browser(app.url);
    const { callback } = await login(browser, 'oidc', fake);
    expect(callback.status).toBe(302);
    expect(fake.count('token')).toBe(1);
    expect(fake.count('userinfo')).toBe(1);
    expect((await browser.get('/me')).status).toBe(200);
  });

  it.each(BAD_ID_TOKENS)(
    'answers 401 invalid_id_token for an id_token %s: no session, no userinfo call',
    async (_why, knobs) => {
      fake.knobs = knobs;
      const browser = new Browser(app.url);
      const { callback } = await login(browser, 'oidc', fake);
      expect(callback.status).toBe(401);
      const text = await callback.text();
      expect(text).not.toMatch(/eyJ/); // neither the id_token nor any part of it
      expect(JSON.parse(text)).toMatchObject({
        statusCode: 401,
        error: 'invalid_id_token',
        provider: 'oidc',
      });
      expect(callback.headers.getSetCookie().join('\n')).not.toMatch(/auth_session=[^;]/);
      expect(fake.count('token')).toBe(1);
      expect(fake.count('userinfo')).toBe(0);
      const me = await browser.get('/me');
      expect(me.status).toBe(401);
      expect(await me.json()).toMatchObject({ error: 'login_required' });
    },
  );
});
