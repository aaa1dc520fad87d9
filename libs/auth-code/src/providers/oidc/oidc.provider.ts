import { DPOP_ALGORITHMS, type DpopSpec } from '../../core/dpop-key';
import type { ProviderDefinition } from '../../core/provider-definition';
import type { LazyProvider } from '../../core/provider-registry';
import { HttpClient, type HttpClientOptions } from '../../engine/http-client';
import { ConfigurationError, ServiceUnavailableError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { fetchDiscovery } from './discovery';
import { checkAuthorizeParams } from '../../engine/authorize-params';
import { allowedAlgorithms, IdTokenValidator } from './id-token.validator';
import { buildOidcDefinition } from './discovery-definition.builder';

/** Options of {@link oidc}: any standard OpenID Provider, found through discovery. */
export interface OidcOptions {
  /** Provider id, used in routes and stores. @default 'oidc' */
  id?: string;
  /** Name shown to people. @default the issuer's host */
  displayName?: string;
  /** The issuer identifier; discovery must name exactly this issuer. */
  issuer: string;
  /** Client id registered at the provider. */
  clientId: string;
  /** Client secret; omit for a public client (PKCE, no client authentication). */
  clientSecret?: string;
  /** The registered redirect URI. */
  redirectUri: string;
  /**
   * Scopes; `openid` is added when missing. With `offline_access` (for a refresh token) the login
   * also sends `prompt=consent` (OpenID Connect Core 11) unless `authorizeParams` sets a prompt.
   * @default ['openid', 'profile', 'email']
   */
  scope?: string[];
  /**
   * Extra authorize parameters, e.g. `{ prompt: 'login', audience: 'https://api.example',
   * acr_values: 'mfa' }` (`OIDC_AUTHORIZE_PARAMS`). The ones the library sets (`state`, `nonce`,
   * `code_challenge`, `redirect_uri`, `client_id`, `response_type`, `scope`, ...) are refused.
   * @default none
   */
  authorizeParams?: Record<string, string>;
  /**
   * Client authentication at the token and revocation endpoints.
   * @default 'client_secret_basic' with a secret, else 'none'
   */
  authMethod?: 'client_secret_basic' | 'client_secret_post' | 'none';
  /**
   * PKCE S256. `'auto'` uses it when discovery lists S256 in `code_challenge_methods_supported`,
   * and always for a public client.
   * @default 'auto'
   */
  pkce?: boolean | 'auto';
  /** Call the userinfo endpoint after login when the provider advertises one. @default true */
  userinfo?: boolean;
  /** The HTTP client, or its options (timeout), for discovery and JWKS. @default { timeoutMs: 5000 } */
  http?: HttpClient | HttpClientOptions;
  /** How long a discovery document is used before it is fetched again, in ms. @default 3600000 */
  discoveryTtlMs?: number;
  /** Accepted id_token algorithms (asymmetric only). @default ['RS256'] */
  algorithms?: string[];
  /** Allowed clock difference for id_token `exp`/`iat`/`nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
  /**
   * RFC 9126 pushed authorization requests (`OIDC_PAR`). `'auto'` pushes when discovery says
   * `require_pushed_authorization_requests`; `true` whenever discovery has a
   * `pushed_authorization_request_endpoint` (without one, logins answer 503 saying so); `false`
   * never.
   * @default 'auto'
   */
  par?: boolean | 'auto';
  /**
   * RFC 9449 DPoP (`OIDC_DPOP`, `OIDC_DPOP_ALG`): `true` for ES256 proofs, or the algorithm.
   * Each grant gets a key pair of its own, stored encrypted with its tokens.
   * @default false
   */
  dpop?: boolean | DpopSpec;
  /**
   * Use the provider's `end_session_endpoint` (OIDC RP-Initiated Logout 1.0) when the module's
   * `providerLogout` is on for this provider and discovery advertises one.
   * @default true
   */
  endSession?: boolean;
  /**
   * Accept back-channel logout tokens (OIDC Back-Channel Logout 1.0) when discovery says
   * `backchannel_logout_supported`: `POST /auth/<id>/backchannel-logout` then ends the sessions
   * they name.
   * @default true
   */
  backchannelLogout?: boolean;
}

/** While discovery is down, a previously good document is used and retried after this long. */
const STALE_RETRY_MS = 30_000;

/**
 * A standard OpenID Connect provider. Its definition comes from discovery, lazily: nothing is
 * fetched at start-up; while discovery is unreachable `resolve()` rejects with 503
 * `provider_unavailable` and the next call tries again.
 */
export function oidc(options: OidcOptions): LazyProvider {
  return new OidcProvider(options);
}

class OidcProvider implements LazyProvider {
  readonly id: string;
  readonly displayName: string;
  private readonly http: HttpClient;
  private cached?: { def: ProviderDefinition; expiresAt: number };
  private inFlight?: Promise<ProviderDefinition>;
  private validator?: IdTokenValidator;

  constructor(private readonly options: OidcOptions) {
    this.id = options.id ?? 'oidc';
    validateOptions(this.id, options);
    this.displayName = options.displayName ?? new URL(options.issuer).host;
    this.http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  }

  resolve(): Promise<ProviderDefinition> {
    if (this.cached && Date.now() < this.cached.expiresAt) return Promise.resolve(this.cached.def);
    this.inFlight ??= this.discover().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async discover(): Promise<ProviderDefinition> {
    try {
      const doc = await fetchDiscovery(this.http, this.id, this.options.issuer);
      const def = buildOidcDefinition(this.options, doc, this.validatorFor(doc.jwks_uri));
      this.cached = { def, expiresAt: Date.now() + (this.options.discoveryTtlMs ?? 3_600_000) };
      return def;
    } catch (err) {
      if (!(err instanceof ServiceUnavailableError) || !this.cached) throw err;
      this.cached.expiresAt = Date.now() + STALE_RETRY_MS;
      return this.cached.def;
    }
  }

  /** One validator (and JWKS cache) per `jwks_uri`, kept across re-discoveries. */
  private validatorFor(jwksUri: string): IdTokenValidator {
    if (this.validator?.jwks.uri !== jwksUri) {
      this.validator = new IdTokenValidator(this.id, {
        jwksUri,
        issuer: this.options.issuer,
        clientId: this.options.clientId,
        algorithms: this.options.algorithms,
        clockToleranceSeconds: this.options.clockToleranceSeconds,
        http: this.http,
        requireNonce: true,
      });
    }
    return this.validator;
  }
}

function validateOptions(id: string, o: OidcOptions): void {
  const problem = (why: string) =>
    new ConfigurationError({
      code: 'invalid_config',
      provider: id,
      operation: 'config',
      message: Messages.invalidConfig(id, why),
    });
  for (const [name, value] of [
    ['issuer', o.issuer],
    ['redirectUri', o.redirectUri],
  ] as const) {
    if (!URL.canParse(value ?? '')) throw problem(`${name} must be an absolute URL`);
  }
  if (!o.clientId) throw problem('clientId is required');
  if (o.authMethod && o.authMethod !== 'none' && !o.clientSecret) {
    throw problem(`authMethod ${o.authMethod} needs a clientSecret`);
  }
  allowedAlgorithms(id, o.algorithms);
  checkAuthorizeParams(id, o.authorizeParams);
  const dpopAlg = typeof o.dpop === 'object' ? o.dpop.alg : undefined;
  if (dpopAlg !== undefined && !(DPOP_ALGORITHMS as readonly string[]).includes(dpopAlg)) {
    throw problem(`dpop.alg must be one of ${DPOP_ALGORITHMS.join(', ')}`);
  }
}
