import { createHash } from 'node:crypto';
import { tencentCiam } from 'nestjs-auth-code';
import { FakeTencentCiam } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { TEST_BASE_URL, startTestApp, type TestApp } from '../support/test-app';

const redirectUri = `${TEST_BASE_URL}/auth/tencent-ciam/callback`;
const s256 = (v: string) => createHash('sha256').update(v).digest('base64url');

/** SECURITY.md row 3: PKCE S256 against a Tencent Cloud CIAM fake that requires it. */
describe('PKCE S256 with Tencent Cloud CIAM (public client)', () => {
  let fake: FakeTencentCiam;
  let app: TestApp;

  beforeAll(async () => {
    fake = new FakeTencentCiam({ redirectUris: [redirectUri], requirePkce: true });
    const issuer = await fake.start();
    app = await startTestApp({
      providers: [tencentCiam({ issuer, clientId: fake.clientId, redirectUri, pkce: true })],
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });
  beforeEach(() => fake.reset());

  it('sends an S256 challenge of a fresh 43-128 character verifier per login, and logs in', async () => {
    const seen: Array<{ challenge: string; verifier: string }> = [];
    for (let i = 0; i < 2; i++) {
      const browser = new Browser(app.url);
      const steps = await login(browser, 'tencent-ciam', fake);
      expect(steps.callback.status).toBe(302);
      expect((await browser.get('/me')).status).toBe(200);
      const q = steps.authorizeUrl.searchParams;
      expect(q.get('code_challenge_method')).toBe('S256');
      const token = fake.requestsTo('token').at(-1)!.body as Record<string, string>;
      expect(token.client_secret).toBeUndefined();
      expect(token.code_verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
      expect(q.get('code_challenge')).toBe(s256(token.code_verifier));
      seen.push({ challenge: q.get('code_challenge')!, verifier: token.code_verifier });
    }
    expect(seen[1].verifier).not.toBe(seen[0].verifier);
    expect(seen[1].challenge).not.toBe(seen[0].challenge);
  });

  it('answers a clear 400 and makes no token call when a login without PKCE meets a server requiring it', async () => {
    const plain = await startTestApp({
      providers: [
        tencentCiam({
          issuer: fake.url,
          clientId: fake.clientId,
          clientSecret: fake.clientSecret,
          redirectUri,
        }),
      ],
    });
    try {
      const steps = await login(new Browser(plain.url), 'tencent-ciam', fake);
      expect(steps.authorizeUrl.searchParams.has('code_challenge')).toBe(false);
      expect(steps.callback.status).toBe(400);
      expect(await steps.callback.json()).toMatchObject({
        provider: 'tencent-ciam',
        providerCode: 'invalid_request',
      });
      expect(fake.count('token')).toBe(0);
    } finally {
      await plain.close();
    }
  });
});
