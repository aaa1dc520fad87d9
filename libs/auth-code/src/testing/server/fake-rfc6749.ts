import { createHash } from 'node:crypto';
import { basicOf, formParams, type FakeParams } from './fake-request';
import type { FakeResponse, RecordedRequest } from './fake-server';

/** A client registered at a standard fake authorization server. */
export interface FakeClientRegistration {
  /** The client's id. */
  clientId: string;
  /** Its secret; `undefined` registers a public client (no authentication, PKCE required). */
  clientSecret?: string;
  /** The redirect URIs registered for it, compared byte for byte. */
  redirectUris: readonly string[];
}

/** An RFC 6749 5.2 error answer: JSON `error` (+ `error_description`), never cached. */
export function oauthError(
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return {
    status,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
    body: description === undefined ? { error } : { error, error_description: description },
  };
}

/** An HTML error page: what an authorization server shows when it must not redirect. */
export function errorPage(status: number, text: string): FakeResponse {
  const safe = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return { status, body: `<!doctype html><html><body><h1>${safe}</h1></body></html>` };
}

/** A 302 to `base` with `params` added to its query (undefined values left out). */
export function redirectTo(base: string, params: Record<string, string | undefined>): FakeResponse {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString() } };
}

/** The S256 PKCE challenge of a verifier (RFC 7636 4.2), computed here, not by the library. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** RFC 7636 4.1/4.2: 43 to 128 unreserved characters. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A token-endpoint request that passed the checks every grant shares. */
export interface FakeTokenRequest {
  /** The form parameters. */
  form: Record<string, string>;
  /** The authenticated (or, for a public client, identified) client id. */
  clientId: string;
}

/**
 * The checks every RFC 6749 token (and RFC 7009 revocation) request gets, in order: a form body
 * (3.2), no repeated parameter (3.2), exactly one client authentication method (2.3), the right
 * credentials (2.3.1; 401 with `WWW-Authenticate: Basic` when Basic was tried, 5.2).
 * Returns the request, or the refusal to answer.
 */
export function readTokenRequest(
  req: RecordedRequest,
  client: FakeClientRegistration,
  realm: string,
): FakeTokenRequest | FakeResponse {
  const params: FakeParams | undefined = formParams(req);
  if (!params) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  if (params.repeated.length > 0) {
    return oauthError(400, 'invalid_request', `Repeated parameter: ${params.repeated[0]}`);
  }
  const form = params.values;
  const basic = basicOf(req);
  const challenge = { 'www-authenticate': `Basic realm="${realm}"` };
  const refused = (headers?: Record<string, string>) =>
    oauthError(401, 'invalid_client', 'Client authentication failed', headers);
  if (basic.kind === 'malformed') return refused(challenge);
  if (basic.kind === 'basic') {
    if (form.client_secret !== undefined) {
      return oauthError(400, 'invalid_request', 'More than one client authentication method');
    }
    if (form.client_id !== undefined && form.client_id !== basic.id) {
      return oauthError(400, 'invalid_request', 'client_id differs from the authenticated client');
    }
    const ok = basic.id === client.clientId && basic.secret === client.clientSecret;
    return ok && client.clientSecret !== undefined
      ? { form, clientId: basic.id }
      : refused(challenge);
  }
  if (form.client_id === undefined) return refused();
  if (client.clientSecret === undefined) {
    // a public client identifies itself and sends no secret (RFC 6749 2.1, 3.2.1)
    const ok = form.client_id === client.clientId && form.client_secret === undefined;
    return ok ? { form, clientId: form.client_id } : refused();
  }
  const ok = form.client_id === client.clientId && form.client_secret === client.clientSecret;
  return ok ? { form, clientId: form.client_id } : refused();
}

/** Whether {@link readTokenRequest} answered a refusal. */
export function isRefusal(v: FakeTokenRequest | FakeResponse): v is FakeResponse {
  return !('form' in v && 'clientId' in v);
}

/** What an authorization code was issued for. */
export interface FakeCodeBinding {
  /** The client it was issued to. */
  clientId: string;
  /** The `redirect_uri` of the authorize request. */
  redirectUri: string;
  /** The S256 challenge of the authorize request, if any. */
  codeChallenge?: string;
}

/**
 * Why a code may not be redeemed by this token request (RFC 6749 4.1.3, RFC 7636 4.6, RFC 9700
 * 2.1.1: a `code_verifier` for a code issued without a challenge is refused too), or undefined.
 */
export function codeMismatch(
  code: FakeCodeBinding,
  form: Record<string, string>,
  clientId: string,
): string | undefined {
  if (code.clientId !== clientId) return 'The code was issued to another client';
  if (form.redirect_uri !== code.redirectUri) {
    return 'redirect_uri does not match the authorization request';
  }
  const verifier = form.code_verifier;
  if (!code.codeChallenge) {
    return verifier === undefined ? undefined : 'code_verifier sent for a code without PKCE';
  }
  if (verifier === undefined) return 'code_verifier is missing';
  if (!PKCE_VALUE.test(verifier) || s256(verifier) !== code.codeChallenge) {
    return 'PKCE verification failed';
  }
  return undefined;
}
