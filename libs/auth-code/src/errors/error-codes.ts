/**
 * Normalized error codes. Provider specific codes (iSolarCloud `result_code`, XT `mc`, ...) are mapped
 * onto these by each provider definition; the provider's own code is kept beside them.
 */
export type AuthErrorCode =
  // RFC 6749 section 5.2 and 4.1.2.1
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  // deviations and extensions
  | 'redirect_uri_mismatch'
  | 'provider_error'
  | 'rate_limited'
  | 'token_dead'
  // transport and response
  | 'timeout'
  | 'network_error'
  | 'invalid_response'
  // our side
  | 'invalid_state'
  | 'invalid_callback'
  | 'cross_site_request'
  | 'invalid_id_token'
  | 'invalid_logout_token'
  | 'login_required'
  | 'provider_disabled'
  | 'provider_unavailable'
  | 'store_unavailable'
  | 'invalid_config';

/**
 * The HTTP status the edge (exception filter, guards) answers with for each code.
 * A provider's refusal and bad callback input are 4xx; an upstream that fails, times out or answers
 * garbage is 502/504; our own dependencies being down is 503.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<AuthErrorCode, number>> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 403,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  server_error: 502,
  temporarily_unavailable: 503,
  redirect_uri_mismatch: 400,
  provider_error: 400,
  rate_limited: 429,
  token_dead: 401,
  timeout: 504,
  network_error: 502,
  invalid_response: 502,
  invalid_state: 400,
  invalid_callback: 400,
  cross_site_request: 403,
  invalid_id_token: 401,
  invalid_logout_token: 400,
  login_required: 401,
  provider_disabled: 404,
  provider_unavailable: 503,
  store_unavailable: 503,
  invalid_config: 500,
};

const RFC_CODES = new Set<string>([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
]);

/** Whether a provider's own error string is one of RFC 6749's codes. */
export function isRfcErrorCode(value: unknown): value is AuthErrorCode {
  return typeof value === 'string' && RFC_CODES.has(value);
}
