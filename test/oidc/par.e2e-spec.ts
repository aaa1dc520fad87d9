import { Browser, onServer } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { startLogin } from '../support/login-flow';
import { driveLogin, OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { PLATFORMS } from '../support/platforms';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;

/**
 * RFC 9126 against a real OpenID Provider that requires pushed authorization requests
 * (`require_pushed_authorization_requests` in its discovery): the app, configured only by
 * `OIDC_*` variables (`OIDC_PAR` left at `auto`), pushes the parameters and sends the browser
 * with `client_id` and `request_uri` only.
 */
describe.each(PLATFORMS)('pushed authorization requests, OP requiring them (%s)', (platform) => {
  let op: OidcOpProcess;
  const apps: TestApp[] = [];
  const start = async (vars: Record<string, string | undefined>) => {
    const app = await startEnvApp(
      {
        ...BASE_ENVIRONMENT,
        OIDC_ISSUER: op.issuer,
        OIDC_REDIRECT_URI: REDIRECT_URI,
        ...vars,
      },
      platform,
    );
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    op = await OidcOpProcess.start({ redirectUris: [REDIRECT_URI], par: 'required' });
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await op?.stop();
  });

  it.each([
    ['confidential client (client_secret_basic at the PAR endpoint)', 'confidential'],
    ['public client (PKCE, no client authentication)', 'public'],
  ] as const)('pushes and logs in: %s', async (_name, kind) => {
    const client = op.info.clients[kind];
    const app = await start({
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: 'clientSecret' in client ? client.clientSecret : undefined,
    });
    const browser = new Browser(app.url);
    const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    expect(`${steps.authorizeUrl.origin}${steps.authorizeUrl.pathname}`).toBe(`${op.issuer}/auth`);
    expect(Object.fromEntries(steps.authorizeUrl.searchParams)).toEqual({
      client_id: client.clientId,
      request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:/),
    });
    // the pushed state and nonce came back: the callback and the id_token checks passed
    expect(steps.redirectedTo.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(steps.callback.status).toBe(302);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({ provider: 'oidc', id: op.info.account });
  });

  it('with OIDC_PAR=off sends the parameters in the URL, and the OP refuses the login', async () => {
    const { clientId, clientSecret } = op.info.clients.confidential;
    const app = await start({
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_PAR: 'off',
    });
    const browser = new Browser(app.url);
    const authorizeUrl = await startLogin(browser, 'oidc');
    expect(authorizeUrl.searchParams.get('request_uri')).toBeNull();
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    const back = await driveLogin(authorizeUrl.toString(), REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/Pushed Authorization Request/i);
    const callback = await browser.get(onServer(back.toString(), browser.baseUrl));
    expect(callback.status).toBe(400);
    expect((await browser.get('/me')).status).toBe(401);
  });
});
