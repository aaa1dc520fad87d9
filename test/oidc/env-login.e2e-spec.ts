import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { startLogin } from '../support/login-flow';
import { OidcOpProcess, type OidcOpInfo } from '../support/oidc-op/oidc-op.process';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import {
  loginThroughOp,
  refreshAtOp,
  sleepUntil,
  storedTokens,
  userinfoStatusAtOp,
  type OpClient,
} from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;
/** The app refreshes this long before expiry (AUTH_REFRESH_SKEW_SECONDS)... */
const SKEW_SECONDS = 60;
/**
 * ...and the OP's access tokens live 8 s longer: a token becomes due at most 8 s after it was
 * issued, and stays fresh for at least 3 s (the app adds up to 5 s of jitter to the skew), so every
 * request of one concurrent burst sees either the old (due) token or the one refresh's result.
 */
const ACCESS_TOKEN_TTL_SECONDS = SKEW_SECONDS + 8;

type ClientKind = 'confidential' | 'public';

function clientOf(info: OidcOpInfo, kind: ClientKind): OpClient {
  return kind === 'confidential'
    ? info.clients.confidential
    : { clientId: info.clients.public.clientId };
}

describe.each<[ClientKind]>([['confidential'], ['public']])(
  'the sample app configured only by OIDC_* variables, %s client, against a real OpenID Provider',
  (kind) => {
    let op: OidcOpProcess;
    let app: TestApp;
    let client: OpClient;

    beforeAll(async () => {
      op = await OidcOpProcess.start({
        redirectUris: [REDIRECT_URI],
        accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      });
      client = clientOf(op.info, kind);
      app = await startEnvApp({
        ...BASE_ENVIRONMENT,
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: client.clientId,
        OIDC_CLIENT_SECRET: client.clientSecret,
        OIDC_SCOPE: 'openid email profile',
        OIDC_REDIRECT_URI: REDIRECT_URI,
        AUTH_REFRESH_SKEW_SECONDS: String(SKEW_SECONDS),
      });
    });
    afterAll(async () => {
      await app?.close();
      await op?.stop();
    });

    it('redirects to the OP with S256 PKCE, a nonce and a state, as the variables say', async () => {
      const url = await startLogin(new Browser(app.url), 'oidc');
      expect(url.origin).toBe(op.issuer);
      const params = Object.fromEntries(url.searchParams);
      expect(params).toEqual({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'openid email profile',
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge_method: 'S256',
        nonce: expect.stringMatching(/^[\w-]{43,}$/),
        state: expect.stringMatching(/^[\w-]{43,}$/),
      });
    });

    it("logs in through the OP and shows the OP's account on /me", async () => {
      const browser = new Browser(app.url);
      const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
      expect(steps.redirectedTo.searchParams.get('state')).toBe(
        steps.authorizeUrl.searchParams.get('state'),
      );
      expect(steps.redirectedTo.searchParams.get('iss')).toBe(op.issuer);
      expect(steps.callback.status).toBe(302);

      const me = await browser.get('/me');
      expect(me.status).toBe(200);
      const body = await me.json();
      expect(body.user).toEqual({
        provider: 'oidc',
        id: op.info.account,
        displayName: 'OP Test User',
        email: `${op.info.account}@op.example.test`,
      });
      expect(body.providers.oidc.expiresAt).toBeGreaterThan(Date.now());
      // the id_token the app validated was issued for this login's nonce, by this OP, to this client
      const { idToken } = await storedTokens(app, browser, 'oidc');
      const claims = JSON.parse(Buffer.from(idToken!.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({
        iss: op.issuer,
        aud: client.clientId,
        sub: op.info.account,
        nonce: steps.authorizeUrl.searchParams.get('nonce'),
      });
    });

    it('refreshes once for 20 concurrent requests, round after round, with the OP rotating refresh tokens', async () => {
      const browser = new Browser(app.url);
      await loginThroughOp(browser, 'oidc', REDIRECT_URI);
      let expiresAt: number = (await (await browser.get('/me')).json()).providers.oidc.expiresAt;
      let refreshToken = (await storedTokens(app, browser, 'oidc')).refreshToken;

      // Two rounds: had two refreshes of a round used the same refresh token, the OP would have
      // refused the second as reuse and revoked the whole grant, and the next round would fail.
      for (let round = 1; round <= 2; round++) {
        await sleepUntil(expiresAt - SKEW_SECONDS * 1000 + 50);
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => browser.get('/api/oidc/token')),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
        const bodies: Array<{ expiresAt: number; refreshed: boolean }> = await Promise.all(
          answers.map((a) => a.json()),
        );
        expect(new Set(bodies.map((b) => b.expiresAt)).size).toBe(1);
        expect(bodies[0].expiresAt).toBeGreaterThan(expiresAt);
        expect(bodies.some((b) => b.refreshed)).toBe(true);
        const rotated = (await storedTokens(app, browser, 'oidc')).refreshToken;
        expect(rotated).toEqual(expect.any(String));
        expect(rotated).not.toBe(refreshToken);
        expiresAt = bodies[0].expiresAt;
        refreshToken = rotated;
      }
      expect((await browser.get('/me')).status).toBe(200);
    }, 60_000);

    it('revokes the grant at the OP on logout: its refresh and access tokens stop working there', async () => {
      const leaving = new Browser(app.url);
      const staying = new Browser(app.url);
      await loginThroughOp(leaving, 'oidc', REDIRECT_URI);
      await loginThroughOp(staying, 'oidc', REDIRECT_URI);
      const left = await storedTokens(app, leaving, 'oidc');
      const kept = await storedTokens(app, staying, 'oidc');

      const out = await leaving.post('/auth/logout');
      expect(out.status).toBe(204);
      expect((await leaving.get('/me')).status).toBe(401);

      // At the OP itself: the logged-out grant is gone...
      const refused = await refreshAtOp(op, client, left.refreshToken!);
      expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(await userinfoStatusAtOp(op, left.accessToken)).toBe(401);
      // ...while the same calls with the other session's tokens, never logged out, succeed.
      expect(await userinfoStatusAtOp(op, kept.accessToken)).toBe(200);
      const accepted = await refreshAtOp(op, client, kept.refreshToken!);
      expect(accepted).toMatchObject({ status: 200, body: { access_token: expect.any(String) } });
    });
  },
);
