import type { FakeParams } from './fake-request';
import { errorPage, PKCE_VALUE, redirectTo, type FakeClientRegistration } from './fake-rfc6749';
import type { FakeResponse } from './fake-server';

/** What a standard fake demands of an authorize request beyond RFC 6749. */
export interface FakeAuthorizeRules {
  /** Refuse requests without an S256 `code_challenge` (always on for public clients). */
  requirePkce: boolean;
  /** `iss` added to error redirects (RFC 9207), when the server announces it. */
  iss?: string;
}

/** A valid authorize request's parameters, or the answer that refuses it. */
export type FakeAuthorizeOutcome = { params: Record<string, string> } | { response: FakeResponse };

/**
 * RFC 6749 4.1.2.1: a bad `client_id` or `redirect_uri` (missing, unknown, unregistered or
 * repeated) gets an error page and never a redirect; every other fault is redirected back with
 * `error` and `state`: a repeated parameter or a missing `response_type` (invalid_request), a
 * `response_type` other than `code` (unsupported_response_type), a PKCE challenge that is not
 * S256 or malformed, or missing when required (invalid_request, RFC 7636 4.4.1).
 */
export function checkAuthorizeRequest(
  query: FakeParams,
  client: FakeClientRegistration,
  rules: FakeAuthorizeRules,
): FakeAuthorizeOutcome {
  const q = query.values;
  const refuse = (text: string) => ({ response: errorPage(400, text) });
  if (query.repeated.includes('client_id')) return refuse('Repeated client_id');
  if (q.client_id !== client.clientId) return refuse('Unknown client_id');
  if (query.repeated.includes('redirect_uri')) return refuse('Repeated redirect_uri');
  if (q.redirect_uri === undefined || !client.redirectUris.includes(q.redirect_uri)) {
    return refuse('redirect_uri is not registered for this client');
  }
  const back = (error: string, description: string) => ({
    response: redirectTo(q.redirect_uri, {
      error,
      error_description: description,
      state: q.state,
      iss: rules.iss,
    }),
  });
  if (query.repeated.length > 0) {
    return back('invalid_request', `Repeated parameter: ${query.repeated[0]}`);
  }
  if (q.response_type === undefined) return back('invalid_request', 'response_type is missing');
  if (q.response_type !== 'code') {
    return back('unsupported_response_type', 'Only response_type=code is supported');
  }
  const challenge = q.code_challenge;
  if (challenge === undefined) {
    if (q.code_challenge_method !== undefined) {
      return back('invalid_request', 'code_challenge_method without code_challenge');
    }
    const required = rules.requirePkce || client.clientSecret === undefined;
    return required ? back('invalid_request', 'code_challenge is required') : { params: q };
  }
  // RFC 7636 4.3: an absent method means "plain", which this server does not support
  if (q.code_challenge_method !== 'S256') {
    return back('invalid_request', 'Only code_challenge_method=S256 is supported');
  }
  if (!PKCE_VALUE.test(challenge)) return back('invalid_request', 'Malformed code_challenge');
  return { params: q };
}
