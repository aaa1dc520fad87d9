import { Browser } from '../support/browser';
import { BASE_ENVIRONMENT, startEnvApp } from '../support/env-app';
import { LogoutRelay } from '../support/oidc-op/logout-relay';
import { OidcOpProcess, OpBrowser } from '../support/oidc-op/oidc-op.process';
import { PLATFORMS } from '../support/platforms';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;

/** A logout token's claims, read without verifying (the app verified it; the test only looks). */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/** POSTs a form to an app's back-channel logout route, as an OP does. */
function postLogout(app: TestApp, body: string): Promise<Response> {
  return fetch(`${app.url}/auth/oidc/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

/**
 * OpenID Connect Back-Channel Logout 1.0 against a real OpenID Provider, two app instances on one
 * Redis: the user signs out at the OP itself, the OP posts a logout token (through a relay that
 * keeps it) to instance A, and every session of that OP session ends — the one created on A and
 * the one created on B — while a session of another OP session of the same user stays.
 */
describe.each(PLATFORMS)('back-channel logout from a real OP, two instances (%s)', (platform) => {
  let op: OidcOpProcess;
  let relay: LogoutRelay;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    relay = await LogoutRelay.start();
    op = await OidcOpProcess.start({
      redirectUris: [REDIRECT_URI],
      backchannelLogoutUri: relay.url,
    });
    const { clientId, clientSecret } = op.info.clients.confidential;
    const env = {
      ...BASE_ENVIRONMENT,
      AUTH_STORE: 'redis://127.0.0.1:6379',
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_REDIRECT_URI: REDIRECT_URI,
    };
    [a, b] = await Promise.all([startEnvApp(env, platform), startEnvApp(env, platform)]);
    relay.target = `${a.url}/auth/oidc/backchannel-logout`;
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await op?.stop();
    await relay?.stop();
  });

  it('ends every session of the OP session on every instance, and refuses the replayed token', async () => {
    const atOp = new OpBrowser();
    const onA = new Browser(a.url);
    const onB = new Browser(b.url);
    const first = await loginThroughOp(onA, 'oidc', REDIRECT_URI, atOp);
    expect(first.prompts).toContain('login');
    // the same OP session: B's login is silent
    expect((await loginThroughOp(onB, 'oidc', REDIRECT_URI, atOp)).prompts).toEqual([]);
    // the same user in another browser: another OP session
    const elsewhere = new Browser(b.url);
    await loginThroughOp(elsewhere, 'oidc', REDIRECT_URI, new OpBrowser());
    for (const [browser, app] of [
      [onA, 'A'],
      [onB, 'B'],
      [elsewhere, 'B'],
    ] as const) {
      expect([app, (await browser.get('/me')).status]).toEqual([app, 200]);
    }

    // the user signs out at the OP; it posts a logout token before it answers
    await atOp.logout(`${op.issuer}/session/end`, `${op.issuer}/session/end/success`);
    expect(relay.calls).toHaveLength(1);
    const [{ logoutToken, status }] = relay.calls;
    expect(status).toBe(200);
    expect(claimsOf(logoutToken)).toMatchObject({
      iss: op.issuer,
      sub: op.info.account,
      sid: expect.any(String),
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });

    expect((await onA.get('/me')).status).toBe(401);
    expect((await onB.get('/me')).status).toBe(401);
    expect((await elsewhere.get('/me')).status).toBe(200);

    // the same token again, at either instance: refused (the replay memory is the shared store)
    for (const app of [b, a]) {
      const replay = await postLogout(
        app,
        new URLSearchParams({ logout_token: logoutToken }).toString(),
      );
      expect(replay.status).toBe(400);
      expect(replay.headers.get('cache-control')).toBe('no-store');
      expect(await replay.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect((await elsewhere.get('/me')).status).toBe(200);
  });

  it.each([
    ['no logout_token', ''],
    ['an empty logout_token', 'logout_token='],
    ['two logout_tokens', 'logout_token=a.b.c&logout_token=d.e.f'],
    ['a token that is not a JWT', 'logout_token=not-a-jwt'],
    ['an unsigned token', `logout_token=${unsigned()}`],
  ])('answers 400 invalid_request with no-store to %s', async (_name, body) => {
    const res = await postLogout(b, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 404 for a provider that is not enabled', async () => {
    const res = await fetch(`${b.url}/auth/nope/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=a.b.c',
    });
    expect(res.status).toBe(404);
  });
});

/** An `alg: none` token with logout-token claims: it must never pass. */
function unsigned(): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'logout+jwt' })}.${part({
    iss: 'x',
    aud: 'op-confidential',
    iat: now,
    jti: 'j',
    sub: 'op-user-1',
    events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
  })}.`;
}
