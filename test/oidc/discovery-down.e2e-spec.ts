import { freePort } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;
const CONFIDENTIAL = { clientId: 'op-confidential', clientSecret: 'op-confidential-secret' };

describe('the sample app whose OpenID Provider is down at boot', () => {
  let port: number;
  let app: TestApp;
  let op: OidcOpProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    app = await startEnvApp({
      ...BASE_ENVIRONMENT,
      OIDC_ISSUER: `http://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: CONFIDENTIAL.clientId,
      OIDC_CLIENT_SECRET: CONFIDENTIAL.clientSecret,
      OIDC_REDIRECT_URI: REDIRECT_URI,
    });
  });
  afterAll(async () => {
    await app?.close();
    await op?.stop();
  });

  it('starts, answers login with 503 and a clear message, then logs in once the OP is up', async () => {
    const browser = new Browser(app.url);
    expect((await browser.get('/me')).status).toBe(401);

    const down = await browser.get('/auth/oidc/login');
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body).toMatchObject({
      statusCode: 503,
      error: 'provider_unavailable',
      provider: 'oidc',
    });
    expect(body.message).toMatch(/^oidc is unavailable: /);
    expect(body.message).toContain(
      `discovery document http://127.0.0.1:${port}/.well-known/openid-configuration could not be read`,
    );
    expect(body.message).toMatch(/it is fetched again on the next request$/);
    expect(body.message).not.toContain(CONFIDENTIAL.clientSecret);
    const page = await browser.get('/auth/oidc/login', { accept: 'text/html' });
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);

    // The OP comes up on the configured port: the very next login discovers it.
    op = await OidcOpProcess.start({ port, redirectUris: [REDIRECT_URI] });
    const steps = await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    expect(steps.authorizeUrl.origin).toBe(op.issuer);
    expect(steps.callback.status).toBe(302);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({ provider: 'oidc', id: op.info.account });
  });
});
