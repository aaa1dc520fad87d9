import type { AuthErrorCode } from '../errors/error-codes';
import type { DpopSpec } from './dpop-key';
import type { EndSessionSpec, LogoutTokenSpec } from './provider-logout';
import type { Profile } from './profile';
import type { TokenResponse } from './token-set';

/** Standard authorize parameters, by their role; a definition says how the provider spells them. */
export type AuthorizeParam =
  | 'clientId'
  | 'redirectUri'
  | 'responseType'
  | 'scope'
  | 'state'
  | 'codeChallenge'
  | 'codeChallengeMethod'
  | 'nonce';

/** Standard token request parameters, by their role. */
export type TokenParam =
  | 'grantType'
  | 'code'
  | 'redirectUri'
  | 'refreshToken'
  | 'codeVerifier'
  | 'clientId'
  | 'clientSecret';

/** How the authorize URL is built. */
export interface AuthorizeSpec {
  /** Base URL of the authorize page. */
  url: string;
  /**
   * Parameter names as this provider spells them; `null` means "not sent".
   * @default RFC 6749 names (`client_id`, `redirect_uri`, `response_type`, `scope`, `state`, ...)
   */
  paramNames?: Partial<Record<AuthorizeParam, string | null>>;
  /**
   * Fixed extra parameters (e.g. iSolarCloud's `applicationId`, `cloudId`, or `prompt`,
   * `audience`, `acr_values`). A `prompt` here replaces the `prompt=consent` that asking for
   * `offline_access` adds.
   */
  extraParams?: Record<string, string>;
  /**
   * Where the parameters go. `query` is RFC 6749. `fragment` puts them after `#{fragmentPath}?`
   * (single-page-app login pages) while `state` stays in the real query string before the `#`.
   * @default 'query'
   */
  placement?: 'query' | 'fragment';
  /** With `placement: 'fragment'`: the SPA route, e.g. `/authorized-app`. */
  fragmentPath?: string;
  /** Scopes requested. */
  scope?: string[];
  /** Scope separator. @default ' ' */
  scopeSeparator?: string;
  /**
   * RFC 9126 pushed authorization requests: the authorize parameters are sent to this endpoint
   * first (with the client authentication of the token call), and the browser goes to
   * {@link AuthorizeSpec.url} with only `client_id` and the `request_uri` it answered.
   * @default not pushed
   */
  pushed?: PushedAuthorizationSpec;
}

/** Where authorize parameters are pushed (RFC 9126). */
export interface PushedAuthorizationSpec {
  /** Absolute URL of the `pushed_authorization_request_endpoint`. */
  url: string;
}

/** How the client authenticates at the token endpoint. */
export type ClientAuthMethod =
  /** client id and secret as parameters (body, or query for `encoding: 'query'`) */
  | 'client_secret_post'
  /** HTTP Basic with the form-urlencoded id and secret (RFC 6749 2.3.1) */
  | 'client_secret_basic'
  /** client id as a parameter, secret in the header named by `secretHeader` */
  | 'secret_header'
  /** public client: client id only (use PKCE) */
  | 'none';

/** One token request: exchange or refresh. */
export interface TokenRequestSpec {
  /** Absolute URL of the endpoint. */
  url: string;
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  /** How parameters are sent. A GET always uses `query`. @default 'form' */
  encoding?: 'form' | 'json' | 'query';
  /** @default 'client_secret_post' */
  clientAuth?: ClientAuthMethod;
  /** With `clientAuth: 'secret_header'`: the header carrying the secret. */
  secretHeader?: string;
  /** Parameter names; `null` means "not sent". @default RFC 6749 names */
  paramNames?: Partial<Record<TokenParam, string | null>>;
  /** Fixed extra parameters. */
  extraParams?: Record<string, string>;
  /** Fixed extra headers. */
  headers?: Record<string, string>;
}

/** A predicate on a parsed body: `body[path]` must be one of `oneOf`. */
export interface FieldMatch {
  /** Dotted path into the body. */
  path: string;
  /** Accepted values (compared with `===`, so `"1"` and `1` differ unless both are listed). */
  oneOf: unknown[];
}

/** How a token response is read. */
export interface TokenResponseSpec {
  /**
   * When the body counts as success. Without it: HTTP 2xx and no `error` field.
   * Deviating providers set it, e.g. `{ path: 'result_code', oneOf: ['1', 1] }`.
   */
  success?: FieldMatch;
  /** Dotted path of the object holding the token fields (`result_data`, `result`). */
  envelope?: string;
  /** Also accept token fields at the top level when the envelope lacks them. @default true */
  acceptTopLevel?: boolean;
  /** Field names of the token fields. @default RFC 6749 names */
  fields?: Partial<
    Record<
      | 'accessToken'
      | 'refreshToken'
      | 'expiresIn'
      | 'refreshExpiresIn'
      | 'tokenType'
      | 'scope'
      | 'idToken',
      string
    >
  >;
  /**
   * Unit of `expires_in`: `s` (RFC), `ms`, or `jwt` (take the access token's JWT `exp` claim when
   * it is a JWT, else `expires_in` seconds).
   * @default 's'
   */
  expiresIn?: 's' | 'ms' | 'jwt';
  /** Lifetime assumed when the provider gives none, in seconds. @default 3600 */
  defaultExpiresInSeconds?: number;
}

/** How provider errors are recognised and normalized. */
export interface ErrorSpec {
  /** Dotted path of the provider's own error code. @default 'error' */
  codePath?: string;
  /** Dotted path of the provider's own message. @default 'error_description' */
  messagePath?: string;
  /** Provider code → normalized code. Unmapped RFC codes map to themselves. */
  codeMap?: Record<string, AuthErrorCode>;
  /** Normalized code of an unmapped, non-RFC provider error. @default 'provider_error' */
  defaultCode?: AuthErrorCode;
}

/** An endpoint called with the user's access token (userinfo, revoke). */
export interface EndpointSpec {
  /** Absolute URL. */
  url: string;
  /** @default 'GET' for userinfo, 'POST' for revoke */
  method?: 'GET' | 'POST';
}

/** Input of a definition's profile mapper. */
export interface ProfileInput {
  /** The token result of the exchange. */
  token: TokenResponse;
  /** The userinfo body, when the definition has a userinfo endpoint. */
  userinfo?: Record<string, unknown>;
  /** Verified id_token claims, when an id_token was validated. */
  claims?: Record<string, unknown>;
}

/** Context handed to a definition's token-response validator. */
export interface TokenValidationContext {
  /** `exchange` or `refresh`. */
  operation: 'exchange' | 'refresh';
  /** The nonce sent in the authorize request (exchange only). */
  nonce?: string;
  /** Claims of the id_token from the previous exchange, for refresh continuity checks. */
  previousClaims?: Record<string, unknown>;
}

/** What the health indicator fetches to tell whether a provider is reachable. */
export interface ProviderProbes {
  /** The OpenID Connect discovery document (`/.well-known/openid-configuration`). */
  discovery?: string;
  /** The JWKS (`jwks_uri`): must answer a JSON object with a key array. */
  jwks?: string;
}

/**
 * A provider, described as data: how its login URL is built, how its token endpoint is called for
 * code exchange and refresh, how its answers are read, how its errors are recognised and how its
 * profile maps to {@link Profile}. One engine executes every definition.
 */
export interface ProviderDefinition {
  /** Stable id, used in routes (`/auth/:provider/...`) and stores. */
  id: string;
  /** Name shown to people. */
  displayName: string;
  /** The client credentials registered at the provider. */
  client: { clientId: string; clientSecret?: string };
  /** The redirect URI registered at the provider; sent identically in authorize and token calls. */
  redirectUri: string;
  /** The authorize URL. */
  authorize: AuthorizeSpec;
  /** Token endpoint calls. */
  token: {
    /** Code exchange. */
    exchange: TokenRequestSpec;
    /** Refresh. When absent the provider cannot refresh. */
    refresh?: TokenRequestSpec;
    /** How both answers are read. */
    response?: TokenResponseSpec;
  };
  /** Error recognition. */
  errors?: ErrorSpec;
  /** Use PKCE S256. @default false */
  pkce?: boolean;
  /** Userinfo endpoint, called with the access token after the exchange. */
  userinfo?: EndpointSpec;
  /** Revocation endpoint (RFC 7009 style form call with client credentials). */
  revoke?: EndpointSpec & { clientAuth?: ClientAuthMethod };
  /** Whether the authorize request carries an OIDC `nonce`. @default false */
  nonce?: boolean;
  /** The issuer identifier, for OIDC and RFC 9207 checks. */
  issuer?: string;
  /**
   * RFC 9207: the provider sends `iss` in the authorization response; the callback's `iss` must then
   * equal {@link ProviderDefinition.issuer}. @default false
   */
  requireCallbackIss?: boolean;
  /**
   * Public, side-effect-free URLs that answer a GET while the provider is reachable, for the health
   * indicator: its discovery document and its JWKS. @default none (the provider is not probed)
   */
  probes?: ProviderProbes;
  /**
   * Validates a token response before anything in it is used (id_token checks). Throw an
   * `IdTokenError` to refuse; return the verified claims.
   */
  validateTokenResult?: (
    result: TokenResponse,
    ctx: TokenValidationContext,
  ) => Promise<Record<string, unknown> | undefined>;
  /**
   * RFC 9449 DPoP: every token call and every resource call made with the grant's access token
   * carries a proof signed by a key pair of the grant's own. @default no DPoP
   */
  dpop?: DpopSpec;
  /** The provider's logout page, for logout at the provider. @default none */
  endSession?: EndSessionSpec;
  /** How back-channel logout tokens are validated; without it the provider sends none. */
  logoutToken?: LogoutTokenSpec;
  /** Maps what the provider said to the normalized profile. */
  profile: (input: ProfileInput) => Omit<Profile, 'provider'>;
}
