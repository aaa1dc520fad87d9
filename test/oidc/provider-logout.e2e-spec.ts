import { Browser, onServer } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { OidcOpProcess, OpBrowser } from '../support/oidc-op/oidc-op.process';
import { PLATFORMS } from '../support/platforms';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, storedTokens } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;
const RETURN_URI = `${TEST_BASE_URL}/auth/logout/return`;
const HTML = { accept: 'text/html' };

/**
 * OpenID Connect RP-Initiated Logout 1.0 against a real OpenID Provider, with
 * `AUTH_PROVIDER_LOGOUT=on`: a browser's logout ends the session here, then at the OP (whose
 * logout page the browser confirms), and comes back with the state it left with. The next login
 * shows the OP's login prompt again, where before the logout it was silent.
 */
describe.each(PLATFORMS)('logout at the provider, real OP (%s)', (platform) => {
  let op: OidcOpProcess;
  let app: TestApp;

  beforeAll(async () => {
    op = await OidcOpProcess.start({
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUris: [RETURN_URI],
    });
    const { clientId, clientSecret } = op.info.clients.confidential;
    app = await startEnvApp(
      {
        ...BASE_ENVIRONMENT,
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: clientId,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_REDIRECT_URI: REDIRECT_URI,
        AUTH_PROVIDER_LOGOUT: 'on',
      },
      platform,
    );
  });
  afterAll(async () => {
    await app?.close();
    await op?.stop();
  });

  it('ends the OP session too: 303 to end_session_endpoint, back with the state, and the next login asks again', async () => {
    const atOp = new OpBrowser();
    const browser = new Browser(app.url);
    expect((await loginThroughOp(browser, 'oidc', REDIRECT_URI, atOp)).prompts).toContain('login');
    // while the OP session lives, another login is silent
    expect((await loginThroughOp(browser, 'oidc', REDIRECT_URI, atOp)).prompts).toEqual([]);
    const { idToken } = await storedTokens(app, browser, 'oidc');

    const logout = await browser.post('/auth/logout', HTML);
    expect(logout.status).toBe(303);
    const endSession = new URL(logout.headers.get('location')!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${op.issuer}/session/end`);
    expect(Object.fromEntries(endSession.searchParams)).toEqual({
      client_id: op.info.clients.confidential.clientId,
      id_token_hint: idToken,
      post_logout_redirect_uri: RETURN_URI,
      state: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect((await browser.get('/me')).status).toBe(401);

    const back = await atOp.logout(endSession.toString(), RETURN_URI);
    expect(back.searchParams.get('state')).toBe(endSession.searchParams.get('state'));
    const landed = await browser.get(onServer(back.toString(), app.url), HTML);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
    expect([...browser.cookies.keys()]).not.toContain('auth_logout');

    const again = await loginThroughOp(browser, 'oidc', REDIRECT_URI, atOp);
    expect(again.prompts).toContain('login');
    expect((await browser.get('/me')).status).toBe(200);
  });

  it('refuses a return whose state is not the one this browser left with', async () => {
    const browser = new Browser(app.url);
    await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    const logout = await browser.post('/auth/logout', HTML);
    const sent = new URL(logout.headers.get('location')!).searchParams.get('state')!;
    const forged = await browser.get(`/auth/logout/return?state=${sent.slice(1)}x`, HTML);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/does not belong to a logout of this browser/);
    // the cookie went with the refused attempt: the right state no longer matches either
    expect((await browser.get(`/auth/logout/return?state=${sent}`, HTML)).status).toBe(400);
    expect((await new Browser(app.url).get('/auth/logout/return?state=x', HTML)).status).toBe(400);
  });

  it('answers an API client 204 and ends only the session here (it cannot follow a redirect)', async () => {
    const browser = new Browser(app.url);
    await loginThroughOp(browser, 'oidc', REDIRECT_URI);
    const logout = await browser.post('/auth/logout', { accept: 'application/json' });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('location')).toBeNull();
    expect((await browser.get('/me')).status).toBe(401);
  });
});
