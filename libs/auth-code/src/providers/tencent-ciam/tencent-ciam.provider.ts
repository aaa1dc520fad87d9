import { checkAuthorizeParams } from '../../engine/authorize-params';
import { HttpClient, type HttpClientOptions } from '../../engine/http-client';
import { discoveryUrl } from '../oidc/discovery';
import { withIdTokenValidation } from '../oidc/id-token.validator';
import type { ProviderDefinition } from '../../core/provider-definition';
import { ConfigurationError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

/** Id of the Tencent Cloud CIAM provider definition. */
export const TENCENT_CIAM_ID = 'tencent-ciam';

/** Paths under the tenant portal URL; discovery lists only authorize, token and jwks. */
const PATHS = {
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  // Tencent serves userinfo at the root, not under /oauth2, and leaves it out of discovery.
  userinfo: '/userinfo',
  revoke: '/oauth2/revoke',
  jwks: '/oauth2/jwks',
  logout: '/logout',
} as const;

/** Options of {@link tencentCiam}. */
export interface TencentCiamOptions {
  /** The tenant portal URL, e.g. `https://{tenant}.portal.tencentciam.com` (or a custom domain). */
  issuer: string;
  /** The application's client_id. */
  clientId: string;
  /** The application's client_secret; required unless {@link TencentCiamOptions.pkce} is set. */
  clientSecret?: string;
  /** The redirect URI registered for the application. */
  redirectUri: string;
  /** How the secret is sent to the token endpoint. @default 'client_secret_post' */
  authMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Public client mode: no secret, client authentication `none`, PKCE S256. @default false */
  pkce?: boolean;
  /** Scopes requested. @default ['openid'] */
  scope?: string[];
  /** Authorize endpoint. @default `${issuer}/oauth2/authorize` */
  authorizeUrl?: string;
  /** Token endpoint (exchange and refresh). @default `${issuer}/oauth2/token` */
  tokenUrl?: string;
  /** Userinfo endpoint. @default `${issuer}/userinfo` */
  userinfoUrl?: string;
  /** Revocation endpoint. @default `${issuer}/oauth2/revoke` */
  revokeUrl?: string;
  /** JWKS endpoint, see {@link tencentCiamJwksUrl}. @default `${issuer}/oauth2/jwks` */
  jwksUrl?: string;
  /** Portal logout endpoint, see {@link tencentCiamLogoutUrl}. @default `${issuer}/logout` */
  logoutUrl?: string;
  /**
   * End the portal session at logout (through {@link tencentCiamLogoutUrl}'s endpoint) when the
   * module's `providerLogout` is on for this provider.
   * @default true
   */
  endSession?: boolean;
  /** Sent as `auth_source_id` to preselect an authentication source. @default not sent */
  authSourceId?: string;
  /**
   * Extra authorize parameters, e.g. `{ auth_source_id: '…', prompt: 'login' }`; `authSourceId`
   * wins over an `auth_source_id` here. The ones the library sets (`state`, `nonce`,
   * `redirect_uri`, `client_id`, `response_type`, `scope`, ...) are refused.
   * @default none
   */
  authorizeParams?: Record<string, string>;
  /**
   * Validate every id_token (signature against the JWKS, iss, aud/azp, exp, iat, nonce, refresh
   * continuity) before anything from the token response is used. Turn off only in unit tests.
   * @default true
   */
  verifyIdToken?: boolean;
  /** HTTP client (or its options) the JWKS is fetched with. @default a client with a 5 s timeout */
  http?: HttpClient | HttpClientOptions;
}

/** Userinfo body of Tencent Cloud CIAM: `sub` plus the claims configured for the application. */
export interface TencentCiamUserinfo {
  /** The user's id. */
  sub: string;
  /** Full name, when configured. */
  name?: string;
  /** Nickname, when configured. */
  nickname?: string;
  /** E-mail address, when configured. */
  email?: string;
  /** Any other configured claim. */
  [claim: string]: unknown;
}

/**
 * Tencent Cloud CIAM, a tenant-hosted OpenID Connect provider. Standard authorization-code flow
 * with a form-encoded token call (client_secret_post or client_secret_basic, or PKCE for public
 * clients), RFC error JSON, an RS256 id_token, and userinfo at `/userinfo`.
 * Every id_token is validated (JWKS signature, iss, aud, azp, exp, iat, nonce) before use.
 */
export function tencentCiam(options: TencentCiamOptions): ProviderDefinition {
  const def = tencentCiamDefinition(options);
  if (options.verifyIdToken === false) return def;
  const http = options.http instanceof HttpClient ? options.http : new HttpClient(options.http);
  return withIdTokenValidation(def, {
    jwksUri: tencentCiamJwksUrl(options),
    issuer: def.issuer!,
    clientId: options.clientId,
    http,
  });
}

function tencentCiamDefinition(options: TencentCiamOptions): ProviderDefinition {
  const issuer = tencentCiamIssuer(options);
  if (!options.pkce && !options.clientSecret) {
    throw new ConfigurationError({
      code: 'invalid_config',
      provider: TENCENT_CIAM_ID,
      operation: 'config',
      message: Messages.invalidConfig(
        TENCENT_CIAM_ID,
        'clientSecret is required unless pkce is set',
      ),
    });
  }
  const clientAuth = options.pkce ? 'none' : (options.authMethod ?? 'client_secret_post');
  const tokenUrl = options.tokenUrl ?? issuer + PATHS.token;
  return {
    id: TENCENT_CIAM_ID,
    displayName: 'Tencent Cloud CIAM',
    client: {
      clientId: options.clientId,
      clientSecret: options.pkce ? undefined : options.clientSecret,
    },
    redirectUri: options.redirectUri,
    authorize: {
      url: options.authorizeUrl ?? issuer + PATHS.authorize,
      scope: options.scope ?? ['openid'],
      extraParams: tencentAuthorizeParams(options),
    },
    token: {
      // deviates from RFC 6749: in PKCE mode a bad code/verifier is 401 invalid_client, a bad grant a bare 401
      exchange: { url: tokenUrl, method: 'POST', encoding: 'form', clientAuth },
      refresh: { url: tokenUrl, method: 'POST', encoding: 'form', clientAuth },
      // The access token lives ~300 s (expires_in 299); assume that if a response omits it.
      response: { expiresIn: 's', defaultExpiresInSeconds: 299 },
    },
    pkce: options.pkce ?? false,
    nonce: true,
    issuer,
    // discovery lists authorize, token and jwks only; both are public GETs, fit for health probes
    probes: { discovery: discoveryUrl(issuer), jwks: tencentCiamJwksUrl(options) },
    userinfo: { url: options.userinfoUrl ?? issuer + PATHS.userinfo, method: 'GET' },
    // The revocation call is documented with client_id and client_secret in the form only.
    revoke: {
      url: options.revokeUrl ?? issuer + PATHS.revoke,
      method: 'POST',
      clientAuth: options.pkce ? 'none' : 'client_secret_post',
    },
    endSession:
      options.endSession === false
        ? undefined
        : {
            url: options.logoutUrl ?? issuer + PATHS.logout,
            // deviates from OIDC RP-Initiated Logout 1.0: no id_token_hint, and the return
            // address is `logout_redirect_uri` (it must share an origin with a redirect URI)
            paramNames: { idTokenHint: null, postLogoutRedirectUri: 'logout_redirect_uri' },
          },
    profile: ({ userinfo, claims }) => {
      const info = (userinfo ?? {}) as Partial<TencentCiamUserinfo>;
      const sub = info.sub ?? claims?.sub;
      const nickname = str(info.nickname);
      return {
        id: typeof sub === 'string' || typeof sub === 'number' ? String(sub) : '',
        displayName: str(info.name) ?? nickname,
        email: str(info.email),
        extras: nickname ? { nickname } : undefined,
      };
    },
  };
}

function tencentAuthorizeParams(options: TencentCiamOptions): Record<string, string> | undefined {
  const params = {
    ...checkAuthorizeParams(TENCENT_CIAM_ID, options.authorizeParams),
    ...(options.authSourceId ? { auth_source_id: options.authSourceId } : {}),
  };
  return Object.keys(params).length > 0 ? params : undefined;
}

/** The issuer (tenant portal URL) without trailing slashes, as it appears in the id_token `iss`. */
export function tencentCiamIssuer(options: Pick<TencentCiamOptions, 'issuer'>): string {
  return options.issuer.replace(/\/+$/, '');
}

/**
 * The JWKS URL the id_token validator fetches keys from. Tencent's English docs show the key list
 * as `"Keys"` and the Chinese ones as `"keys"`: a validator must accept both.
 */
export function tencentCiamJwksUrl(
  options: Pick<TencentCiamOptions, 'issuer' | 'jwksUrl'>,
): string {
  return options.jwksUrl ?? tencentCiamIssuer(options) + PATHS.jwks;
}

/**
 * The portal logout URL (`GET /logout?client_id&logout_redirect_uri&state`, answered with a 302).
 * It ends the portal session only; it is not OIDC RP-initiated logout (no id_token_hint).
 */
export function tencentCiamLogoutUrl(
  options: Pick<TencentCiamOptions, 'issuer' | 'clientId' | 'logoutUrl'>,
  params: { logoutRedirectUri: string; state?: string },
): string {
  const url = new URL(options.logoutUrl ?? tencentCiamIssuer(options) + PATHS.logout);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('logout_redirect_uri', params.logoutRedirectUri);
  if (params.state !== undefined) url.searchParams.set('state', params.state);
  return url.toString();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
