import type { DpopSpec } from '../../core/dpop-key';
import type { PushedAuthorizationSpec } from '../../core/provider-definition';
import type { EndSessionSpec, LogoutTokenSpec } from '../../core/provider-logout';
import { ConfigurationError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { OidcDiscoveryDocument } from './discovery';
import { allowedAlgorithms, type IdTokenValidator } from './id-token.validator';
import { LogoutTokenValidator } from './logout-token.validator';
import type { OidcOptions } from './oidc.provider';

/**
 * The parts of an OIDC definition beyond the login itself — pushed authorization requests, DPoP,
 * logout at the provider, back-channel logout — each from what discovery advertises and what the
 * options ask for. A request the provider cannot serve is a 503 naming the metadata it lacks.
 */

/** RFC 9126: where to push, or undefined for a plain authorize URL. */
export function pushedFrom(
  id: string,
  options: OidcOptions,
  doc: OidcDiscoveryDocument,
): PushedAuthorizationSpec | undefined {
  const par = options.par ?? 'auto';
  const url = doc.pushed_authorization_request_endpoint;
  if (par === false) return undefined;
  if (par === 'auto' && doc.require_pushed_authorization_requests !== true) return undefined;
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw lacking(id, 'pushed_authorization_request_endpoint', 'pushed authorization requests');
  }
  return { url };
}

/** RFC 9449: the proofs' algorithm, checked against the provider's list when it publishes one. */
export function dpopFrom(
  id: string,
  options: OidcOptions,
  doc: OidcDiscoveryDocument,
): DpopSpec | undefined {
  if (!options.dpop) return undefined;
  const alg = (typeof options.dpop === 'object' ? options.dpop.alg : undefined) ?? 'ES256';
  const supported = doc.dpop_signing_alg_values_supported;
  if (Array.isArray(supported) && !supported.includes(alg)) {
    throw lacking(id, `"${alg}" in dpop_signing_alg_values_supported`, `DPoP proofs signed ${alg}`);
  }
  return { alg };
}

/** OIDC RP-Initiated Logout 1.0: the provider's `end_session_endpoint`, when advertised. */
export function endSessionFrom(
  options: OidcOptions,
  doc: OidcDiscoveryDocument,
): EndSessionSpec | undefined {
  const url = doc.end_session_endpoint;
  if (options.endSession === false || typeof url !== 'string' || !URL.canParse(url)) {
    return undefined;
  }
  return { url };
}

/** OIDC Back-Channel Logout 1.0: a logout token validator on the id_token's keys and algorithms. */
export function logoutTokenFrom(
  id: string,
  options: OidcOptions,
  doc: OidcDiscoveryDocument,
  validator: IdTokenValidator,
): LogoutTokenSpec | undefined {
  if (options.backchannelLogout === false || doc.backchannel_logout_supported !== true) {
    return undefined;
  }
  return new LogoutTokenValidator(id, {
    jwks: validator.jwks,
    issuer: doc.issuer,
    clientId: options.clientId,
    algorithms: allowedAlgorithms(id, options.algorithms),
    clockToleranceSeconds: options.clockToleranceSeconds,
    sessionSupported: doc.backchannel_logout_session_supported === true,
  });
}

function lacking(id: string, field: string, feature: string): ConfigurationError {
  return new ConfigurationError({
    code: 'provider_unavailable',
    provider: id,
    operation: 'discovery',
    message: Messages.discoveryLacks(id, field, feature),
  });
}
