import type { ProviderDefinition } from '../../core/provider-definition';
import { discoveryUrl, type OidcDiscoveryDocument } from './discovery';
import { dpopFrom, endSessionFrom, logoutTokenFrom, pushedFrom } from './discovery-extensions';
import type { IdTokenValidator } from './id-token.validator';
import type { OidcOptions } from './oidc.provider';

/** The scopes asked for when none are configured. */
export const DEFAULT_OIDC_SCOPE = ['openid', 'profile', 'email'];

/**
 * Builds the definition of a standard OpenID Provider from its discovery document: nothing in it
 * deviates from RFC 6749, so every field is an endpoint or a capability the provider advertised.
 */
export function buildOidcDefinition(
  options: OidcOptions,
  doc: OidcDiscoveryDocument,
  validator: IdTokenValidator,
): ProviderDefinition {
  const id = options.id ?? 'oidc';
  const clientAuth = options.authMethod ?? (options.clientSecret ? 'client_secret_basic' : 'none');
  const scope = options.scope ?? DEFAULT_OIDC_SCOPE;
  const tokenSpec = { url: doc.token_endpoint, clientAuth };
  return {
    id,
    displayName: options.displayName ?? new URL(options.issuer).host,
    client: { clientId: options.clientId, clientSecret: options.clientSecret },
    redirectUri: options.redirectUri,
    authorize: {
      url: doc.authorization_endpoint,
      scope: scope.includes('openid') ? scope : ['openid', ...scope],
      extraParams: options.authorizeParams,
      pushed: pushedFrom(id, options, doc),
    },
    token: { exchange: tokenSpec, refresh: tokenSpec },
    pkce: usePkce(options, doc, clientAuth === 'none'),
    userinfo:
      doc.userinfo_endpoint && options.userinfo !== false
        ? { url: doc.userinfo_endpoint }
        : undefined,
    revoke: doc.revocation_endpoint ? { url: doc.revocation_endpoint, clientAuth } : undefined,
    dpop: dpopFrom(id, options, doc),
    endSession: endSessionFrom(options, doc),
    logoutToken: logoutTokenFrom(id, options, doc, validator),
    nonce: true,
    issuer: doc.issuer,
    requireCallbackIss: doc.authorization_response_iss_parameter_supported === true,
    probes: { discovery: discoveryUrl(options.issuer), jwks: doc.jwks_uri },
    validateTokenResult: (result, ctx) => validator.validateResult(result, ctx),
    profile: ({ claims = {}, userinfo = {} }) => {
      const pick = (name: string) => text(userinfo[name]) ?? text(claims[name]);
      return {
        id: text(claims.sub) ?? text(userinfo.sub) ?? '',
        displayName: pick('name') ?? pick('preferred_username'),
        email: pick('email'),
      };
    },
  };
}

/** `'auto'`: S256 when the provider advertises it, and always for a public client (RFC 9700 2.1.1). */
function usePkce(options: OidcOptions, doc: OidcDiscoveryDocument, publicClient: boolean): boolean {
  const pkce = options.pkce ?? 'auto';
  if (pkce !== 'auto') return pkce;
  return publicClient || (doc.code_challenge_methods_supported ?? []).includes('S256');
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
