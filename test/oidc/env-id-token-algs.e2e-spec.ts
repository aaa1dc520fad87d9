import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, storedTokens } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;

/** The `alg` of a compact JWS's protected header. */
const algOf = (jws: string) =>
  (JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString()) as { alg: string }).alg;

describe.each<['ES256' | 'PS256' | 'EdDSA']>([['ES256'], ['PS256'], ['EdDSA']])(
  'OIDC_ID_TOKEN_ALGS against an OP signing id_tokens with %s',
  (alg) => {
    let op: OidcOpProcess;
    const apps: TestApp[] = [];

    beforeAll(async () => {
      op = await OidcOpProcess.start({ redirectUris: [REDIRECT_URI], idTokenAlg: alg });
    });
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()));
    });
    afterAll(() => op?.stop());

    async function envApp(vars: Record<string, string>): Promise<TestApp> {
      const { clientId, clientSecret } = op.info.clients.confidential;
      const app = await startEnvApp({
        ...BASE_ENVIRONMENT,
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: clientId,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_REDIRECT_URI: REDIRECT_URI,
        ...vars,
      });
      apps.push(app);
      return app;
    }

    it(`logs in when OIDC_ID_TOKEN_ALGS allows ${alg}`, async () => {
      const app = await envApp({ OIDC_ID_TOKEN_ALGS: `RS256,${alg}` });
      const browser = new Browser(app.url);
      const { callback } = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
      expect(callback.status).toBe(302);
      expect((await browser.get('/me')).status).toBe(200);
      expect(algOf((await storedTokens(app, browser, 'oidc')).idToken!)).toBe(alg);
    });

    it(`refuses the ${alg} id_token with the default (RS256 only)`, async () => {
      const app = await envApp({});
      const browser = new Browser(app.url);
      const { callback } = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
      expect(callback.status).toBe(401);
      expect(await callback.json()).toMatchObject({
        error: 'invalid_id_token',
        message: expect.stringContaining(`its algorithm "${alg}" is not one of the allowed RS256`),
      });
    });
  },
);

describe('OIDC_ID_TOKEN_ALGS values that could let a forged id_token in', () => {
  it.each(['none', 'HS256', 'RS256,HS256'])('refuses to start with %s', async (value) => {
    const refusal = await startEnvApp({
      ...BASE_ENVIRONMENT,
      OIDC_ISSUER: 'http://127.0.0.1:9',
      OIDC_CLIENT_ID: 'cid',
      OIDC_ID_TOKEN_ALGS: value,
    }).then(
      (started) => started.close().then(() => undefined),
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toMatch(
      /OIDC_ID_TOKEN_ALGS: .*refused: an id_token must carry an asymmetric signature/,
    );
  });
});
