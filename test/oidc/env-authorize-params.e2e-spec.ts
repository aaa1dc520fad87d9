import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { startLogin } from '../support/login-flow';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, refreshAtOp, storedTokens } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;

describe('authorize parameters from OIDC_* variables, against an OP that follows OIDC Core 11', () => {
  let op: OidcOpProcess;
  const apps: TestApp[] = [];

  /** The OP issues refresh tokens only for a consented offline_access (oidc-provider's own rule). */
  beforeAll(async () => {
    op = await OidcOpProcess.start({
      redirectUris: [REDIRECT_URI],
      refreshTokens: 'offline_access',
    });
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

  it('asks for consent with offline_access, so the OP issues a refresh token that works', async () => {
    const app = await envApp({ OIDC_SCOPE: 'openid offline_access email' });
    const browser = new Browser(app.url);
    const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    expect(steps.authorizeUrl.searchParams.get('scope')).toBe('openid offline_access email');
    expect(steps.authorizeUrl.searchParams.get('prompt')).toBe('consent');
    expect(steps.callback.status).toBe(302);

    const { refreshToken } = await storedTokens(app, browser, 'oidc');
    expect(refreshToken).toEqual(expect.any(String));
    const refreshed = await refreshAtOp(op, op.info.clients.confidential, refreshToken!);
    expect(refreshed).toMatchObject({ status: 200, body: { access_token: expect.any(String) } });
  });

  it('gets no refresh token without offline_access (the OP is strict: the control)', async () => {
    const app = await envApp({ OIDC_SCOPE: 'openid email' });
    const browser = new Browser(app.url);
    const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    expect(steps.authorizeUrl.searchParams.has('prompt')).toBe(false);
    expect(steps.callback.status).toBe(302);
    expect((await storedTokens(app, browser, 'oidc')).refreshToken).toBeUndefined();
  });

  it('sends OIDC_AUTHORIZE_PARAMS, whose own prompt replaces the automatic one', async () => {
    const app = await envApp({
      OIDC_SCOPE: 'openid offline_access',
      OIDC_AUTHORIZE_PARAMS: 'prompt=login%20consent&ui_locales=de&acr_values=urn:test:loa:2',
    });
    const browser = new Browser(app.url);
    const url = await startLogin(browser, 'oidc');
    expect(url.searchParams.get('prompt')).toBe('login consent');
    expect(url.searchParams.get('ui_locales')).toBe('de');
    expect(url.searchParams.get('acr_values')).toBe('urn:test:loa:2');
    expect(url.searchParams.getAll('prompt')).toHaveLength(1);

    const steps = await loginThroughOp(new Browser(app.url), 'oidc', REDIRECT_URI);
    expect(steps.callback.status).toBe(302);
  });

  it.each([
    ['state=fixed', /OIDC_AUTHORIZE_PARAMS: the authorize parameter "state" is set by the library/],
    [
      'redirect_uri=https%3A%2F%2Fevil.example',
      /OIDC_AUTHORIZE_PARAMS: the authorize parameter "redirect_uri" is set by the library/,
    ],
    ['prompt', /OIDC_AUTHORIZE_PARAMS: "prompt" is not a name=value pair/],
  ])('refuses to start with OIDC_AUTHORIZE_PARAMS=%s', async (value, message) => {
    await expect(envApp({ OIDC_AUTHORIZE_PARAMS: value })).rejects.toThrow(message);
  });
});
