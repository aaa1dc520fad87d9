import { AuthSessionService, TokenService, type TokenSet } from 'nestjs-auth-code';
import { Browser, onServer } from '../support/browser';
import { OpBrowser, type OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import type { TestApp } from '../support/test-app';

/** The steps of one login through the real OP, kept for assertions. */
export interface OpLoginSteps {
  /** The OP authorize URL the app redirected to. */
  authorizeUrl: URL;
  /** The URL the OP redirected back to (under the registered redirect URI). */
  redirectedTo: URL;
  /** The app's answer to its callback. */
  callback: Response;
  /** The prompts the OP showed (`login`, `consent`); none when its session was still alive. */
  prompts: string[];
}

/**
 * Logs in like a browser: `/auth/:provider/login` on the app, the OP's redirects (automatic login
 * and consent, the OP's own cookies), then the app's callback with the app's cookies.
 * @param atOp the browser's profile at the OP (its OP session). @default a fresh one
 */
export async function loginThroughOp(
  browser: Browser,
  provider: string,
  redirectUri: string,
  atOp = new OpBrowser(),
): Promise<OpLoginSteps> {
  const start = await browser.get(`/auth/${provider}/login`);
  if (start.status !== 302)
    throw new Error(`login answered ${start.status}: ${await start.text()}`);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const { url: redirectedTo, prompts } = await atOp.follow(authorizeUrl.toString(), redirectUri);
  const callback = await browser.get(onServer(redirectedTo.toString(), browser.baseUrl));
  return { authorizeUrl, redirectedTo, callback, prompts };
}

/**
 * The tokens the app keeps server-side for the browser's session. Tests read them only to check,
 * at the OP itself, what the app did with them (revocation).
 */
export async function storedTokens(
  app: TestApp,
  browser: Browser,
  provider: string,
): Promise<TokenSet> {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const sessionId = app.app.get(AuthSessionService).sessionId({ headers: { cookie } });
  if (!sessionId) throw new Error('the browser has no session cookie');
  const grant = await app.app.get(TokenService).getGrant(sessionId, provider);
  if (!grant) throw new Error(`the session has no ${provider} grant`);
  return grant.tokenSet;
}

/** Which client of the OP a test uses. */
export type OpClient = { clientId: string; clientSecret?: string };

/** Uses a refresh token at the OP's token endpoint directly, as the client would. */
export async function refreshAtOp(
  op: OidcOpProcess,
  client: OpClient,
  refreshToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { token_endpoint } = await discovery(op);
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret) {
    const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  } else {
    form.set('client_id', client.clientId);
  }
  const res = await fetch(token_endpoint, { method: 'POST', headers, body: form.toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The HTTP status of the OP's userinfo endpoint for an access token. */
export async function userinfoStatusAtOp(op: OidcOpProcess, accessToken: string): Promise<number> {
  const { userinfo_endpoint } = await discovery(op);
  const res = await fetch(userinfo_endpoint, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await res.arrayBuffer();
  return res.status;
}

async function discovery(op: OidcOpProcess): Promise<Record<string, string>> {
  const res = await fetch(`${op.issuer}/.well-known/openid-configuration`);
  return (await res.json()) as Record<string, string>;
}

/** Waits until `at` (epoch ms) has passed; used to let a token become due, never to assert speed. */
export function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}
