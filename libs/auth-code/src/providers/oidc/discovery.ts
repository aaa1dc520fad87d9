import { parseObject } from '../../core/json';
import type { HttpClient } from '../../engine/http-client';
import {
  AuthCodeError,
  ConfigurationError,
  ServiceUnavailableError,
} from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

/** The fields of an OpenID Provider's metadata (OpenID Connect Discovery 1.0 section 3) we use. */
export interface OidcDiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  /** RFC 9207. */
  authorization_response_iss_parameter_supported?: boolean;
  /** RFC 9126. */
  pushed_authorization_request_endpoint?: string;
  /** RFC 9126: the provider accepts authorization requests only when pushed. */
  require_pushed_authorization_requests?: boolean;
  /** RFC 9449. */
  dpop_signing_alg_values_supported?: string[];
  /** OpenID Connect Back-Channel Logout 1.0. */
  backchannel_logout_supported?: boolean;
  /** OpenID Connect Back-Channel Logout 1.0: logout tokens (and id_tokens) carry `sid`. */
  backchannel_logout_session_supported?: boolean;
  [field: string]: unknown;
}

/** The discovery URL of an issuer: `{issuer}/.well-known/openid-configuration`. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

const REQUIRED = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/**
 * Fetches and checks an issuer's discovery document. An unreachable or broken endpoint is a
 * {@link ServiceUnavailableError} `provider_unavailable`; a document for another issuer, or one
 * without the endpoints a login needs, a {@link ConfigurationError} `provider_unavailable` (both 503).
 */
export async function fetchDiscovery(
  http: HttpClient,
  providerId: string,
  issuer: string,
): Promise<OidcDiscoveryDocument> {
  const url = discoveryUrl(issuer);
  const unavailable = (reason: string, cause?: unknown) =>
    new ServiceUnavailableError({
      code: 'provider_unavailable',
      provider: providerId,
      operation: 'discovery',
      message: Messages.discoveryUnavailable(providerId, url, reason),
      cause,
    });
  let status: number;
  let text: string;
  try {
    ({ status, text } = await http.send(
      { url, method: 'GET', headers: { accept: 'application/json' } },
      providerId,
      'discovery',
    ));
  } catch (err) {
    throw unavailable(err instanceof AuthCodeError ? err.message : 'network error', err);
  }
  if (status !== 200) throw unavailable(`HTTP ${status}`);
  const doc = parseObject(text);
  if (!doc) throw unavailable('not a JSON object');

  const misconfigured = (message: string) =>
    new ConfigurationError({
      code: 'provider_unavailable',
      provider: providerId,
      operation: 'discovery',
      message,
    });
  if (doc.issuer !== issuer) {
    throw misconfigured(
      Messages.discoveryIssuerMismatch(providerId, issuer, JSON.stringify(doc.issuer)),
    );
  }
  for (const field of REQUIRED) {
    if (!isHttpUrl(doc[field]))
      throw misconfigured(Messages.discoveryIncomplete(providerId, field));
  }
  return doc as OidcDiscoveryDocument;
}

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}
