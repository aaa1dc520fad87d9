import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, storedTokens, userinfoStatusAtOp } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;
/** The OP's access tokens live 30 s and the app refreshes 60 s before expiry: every call refreshes. */
const ACCESS_TOKEN_TTL_SECONDS = 30;

/**
 * RFC 9449 against a real OpenID Provider that requires a server nonce in every proof: two app
 * instances on one Redis, configured only by `OIDC_*` variables with `OIDC_DPOP=true`. The login's
 * tokens are bound to the grant's own key; that key, stored encrypted with the grant, signs the
 * refresh and the userinfo call on either instance (a public client's refresh token is bound to it
 * too, so a refresh with any other key would be refused).
 */
describe.each([['confidential'], ['public']] as const)(
  'DPoP-bound tokens, %s client, two instances on one Redis',
  (kind) => {
    let op: OidcOpProcess;
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      op = await OidcOpProcess.start({
        redirectUris: [REDIRECT_URI],
        accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
        dpopNonce: 'required',
      });
      const client = op.info.clients[kind];
      const env = {
        ...BASE_ENVIRONMENT,
        AUTH_STORE: 'redis://127.0.0.1:6379',
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: client.clientId,
        OIDC_CLIENT_SECRET: 'clientSecret' in client ? client.clientSecret : undefined,
        OIDC_REDIRECT_URI: REDIRECT_URI,
        OIDC_DPOP: 'true',
        AUTH_REFRESH_SKEW_SECONDS: '60',
      };
      [a, b] = await Promise.all([startEnvApp(env), startEnvApp(env)]);
    });
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await op?.stop();
    });

    it('binds the tokens to the grant key: Bearer is refused, the DPoP calls and a refresh on the other instance work', async () => {
      const browser = new Browser(a.url);
      const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
      expect(steps.callback.status).toBe(302);
      const login = await storedTokens(a, browser, 'oidc');
      expect(login.tokenType).toBe('DPoP');
      expect(login.dpopKey).toMatchObject({ alg: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256' } });
      expect(login.dpopKey!.publicJwk).not.toHaveProperty('d');
      // the access token is bound: presented as a Bearer token, the OP refuses it
      expect(await userinfoStatusAtOp(op, login.accessToken)).toBe(401);

      // instance A: refresh (due) and userinfo, each with a proof and the OP's nonce
      const onA = await browser.get('/api/oidc/profile');
      expect(onA.status).toBe(200);
      expect((await onA.json()).data).toMatchObject({ sub: op.info.account });
      const afterA = await storedTokens(a, browser, 'oidc');
      expect(afterA.accessToken).not.toBe(login.accessToken);

      // instance B: the same browser, a store it shares; it refreshes with the stored key
      const onB = new Browser(b.url);
      for (const [k, v] of browser.cookies) onB.cookies.set(k, v);
      const token = await onB.get('/api/oidc/token');
      expect(token.status).toBe(200);
      expect(await token.json()).toMatchObject({ provider: 'oidc', refreshed: true });
      const afterB = await storedTokens(b, onB, 'oidc');
      expect(afterB.accessToken).not.toBe(afterA.accessToken);
      expect(afterB.refreshToken).not.toBe(afterA.refreshToken);
      expect(afterB.tokenType).toBe('DPoP');
      expect(afterB.dpopKey).toEqual(login.dpopKey);
      expect(await userinfoStatusAtOp(op, afterB.accessToken)).toBe(401);
      const profileOnB = await onB.get('/api/oidc/profile');
      expect(profileOnB.status).toBe(200);
      expect((await profileOnB.json()).data).toMatchObject({ sub: op.info.account });
    });
  },
);
