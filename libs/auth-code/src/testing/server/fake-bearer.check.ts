import { bearerOf } from './fake-request';
import type { FakeResponse, RecordedRequest } from './fake-server';

/** A protected resource request's live token, or the answer that refuses it. */
export type FakeBearerOutcome = { token: string } | { response: FakeResponse };

/**
 * RFC 6750 3.1 for a protected resource (userinfo) that takes the token in the `Authorization`
 * header only (2.1): no credentials → 401 with a bare `Bearer` challenge; a token in the query
 * (2.3, not supported here) or a malformed header → 400 `invalid_request`; a token `isLive`
 * refuses → 401 `invalid_token`. `isLive` may also answer its own refusal (e.g. a 403
 * `insufficient_scope`).
 */
export function checkBearer(
  req: RecordedRequest,
  realm: string,
  isLive: (token: string) => boolean | FakeResponse,
): FakeBearerOutcome {
  const challenge = (status: number, params = '') => ({
    response: {
      status,
      headers: { 'www-authenticate': `Bearer realm="${realm}"${params}` },
    } satisfies FakeResponse,
  });
  const bearer = bearerOf(req);
  if (req.query.access_token !== undefined) {
    return challenge(
      400,
      ', error="invalid_request", error_description="Send the token in the Authorization header"',
    );
  }
  if (bearer.kind === 'none') return challenge(401);
  if (bearer.kind === 'malformed') {
    return challenge(400, ', error="invalid_request", error_description="Malformed bearer token"');
  }
  const live = isLive(bearer.token);
  if (live === true) return { token: bearer.token };
  if (live !== false) return { response: live };
  return challenge(
    401,
    ', error="invalid_token", error_description="The access token is unknown, expired or revoked"',
  );
}

/** RFC 6750 3.1 `insufficient_scope`: a live token without the scope the resource needs. */
export function insufficientScope(realm: string, scope: string): FakeResponse {
  return {
    status: 403,
    headers: {
      'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="${scope}"`,
    },
  };
}
