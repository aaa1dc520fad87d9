import { getPath } from '../../core/json';
import type {
  AuthorizeSpec,
  ClientAuthMethod,
  EndpointSpec,
  ErrorSpec,
  ProfileInput,
  ProviderDefinition,
  TokenRequestSpec,
  TokenResponseSpec,
} from '../../core/provider-definition';
import type { Profile } from '../../core/profile';
import { checkAuthorizeParams } from '../../engine/authorize-params';

/** Where the profile fields are found: dotted paths into userinfo, id_token claims, then the token payload. */
export interface OAuth2ProfileFields {
  /** Path of the user's stable id. */
  id: string;
  /** Path of the display name. */
  displayName?: string;
  /** Path of the e-mail address. */
  email?: string;
}

/** Options of {@link oauth2}: a plain OAuth 2.0 provider described entirely in configuration. */
export interface OAuth2Options {
  /** Provider id, used in routes and stores. */
  id: string;
  /** Name shown to people. @default the id */
  displayName?: string;
  /** Client id registered at the provider. */
  clientId: string;
  /** Client secret; omit for a public client. */
  clientSecret?: string;
  /** The registered redirect URI. */
  redirectUri: string;
  /** The authorize page. */
  authorizeUrl: string;
  /** How the authorize URL is built (parameter names, extra parameters, placement). @default RFC 6749 */
  authorize?: Omit<AuthorizeSpec, 'url' | 'scope'>;
  /** Scopes requested (`offline_access` adds `prompt=consent`, see `authorizeParams`). @default none */
  scope?: string[];
  /**
   * Extra authorize parameters (`audience`, `prompt`, `acr_values`...), merged over
   * `authorize.extraParams`. The ones the library sets (`state`, `code_challenge`,
   * `redirect_uri`, `client_id`, `response_type`, `scope`, ..., and their renamed spellings) are
   * refused with `invalid_config`.
   * @default none
   */
  authorizeParams?: Record<string, string>;
  /** The token endpoint. */
  tokenUrl: string;
  /**
   * How the code exchange is sent.
   * @default POST form, `client_secret_basic` with a secret, else `none`
   */
  token?: Omit<TokenRequestSpec, 'url'>;
  /** How refresh is sent, or `false` when the provider cannot refresh. @default the exchange's spec */
  refresh?: false | (Omit<TokenRequestSpec, 'url'> & { url?: string });
  /** How token answers are read (success predicate, envelope, field names, expiry unit). @default RFC 6749 */
  response?: TokenResponseSpec;
  /** How errors are recognised. @default RFC 6749 `error` / `error_description` */
  errors?: ErrorSpec;
  /** Userinfo endpoint (URL or spec), called after login. @default none */
  userinfo?: string | EndpointSpec;
  /** Revocation endpoint (URL or spec). @default none */
  revoke?: string | (EndpointSpec & { clientAuth?: ClientAuthMethod });
  /** PKCE S256 (RFC 9700 recommends it for every client). @default true */
  pkce?: boolean;
  /** Issuer identifier, for RFC 9207 callback checks. */
  issuer?: string;
  /** The provider sends RFC 9207 `iss` in the callback. @default false */
  requireCallbackIss?: boolean;
  /**
   * Profile mapping: a mapper, or field paths.
   * @default { id: 'sub', displayName: 'name', email: 'email' }
   */
  profile?: ProviderDefinition['profile'] | OAuth2ProfileFields;
}

/**
 * A plain OAuth 2.0 provider from configuration alone: RFC 6749 defaults, every field of the
 * definition overridable, executed by the same engine as every built-in provider.
 */
export function oauth2(options: OAuth2Options): ProviderDefinition {
  const clientAuth = options.clientSecret ? 'client_secret_basic' : 'none';
  const exchange: TokenRequestSpec = { clientAuth, ...options.token, url: options.tokenUrl };
  const endpoint = <T extends EndpointSpec>(v: string | T | undefined) =>
    typeof v === 'string' ? { url: v } : v;
  return {
    id: options.id,
    displayName: options.displayName ?? options.id,
    client: { clientId: options.clientId, clientSecret: options.clientSecret },
    redirectUri: options.redirectUri,
    authorize: {
      ...options.authorize,
      url: options.authorizeUrl,
      scope: options.scope,
      extraParams: extraAuthorizeParams(options),
    },
    token: {
      exchange,
      refresh: options.refresh === false ? undefined : { ...exchange, ...options.refresh },
      response: options.response,
    },
    errors: options.errors,
    pkce: options.pkce ?? true,
    userinfo: endpoint(options.userinfo),
    revoke: endpoint(options.revoke),
    issuer: options.issuer,
    requireCallbackIss: options.requireCallbackIss,
    profile:
      typeof options.profile === 'function'
        ? options.profile
        : profileFromFields(options.profile ?? { id: 'sub', displayName: 'name', email: 'email' }),
  };
}

function extraAuthorizeParams(options: OAuth2Options): Record<string, string> | undefined {
  const params = checkAuthorizeParams(
    options.id,
    options.authorizeParams,
    options.authorize?.paramNames,
  );
  const merged = { ...options.authorize?.extraParams, ...params };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** A profile mapper reading dotted paths from userinfo, then id_token claims, then the token payload. */
export function profileFromFields(fields: OAuth2ProfileFields): ProviderDefinition['profile'] {
  return (input: ProfileInput): Omit<Profile, 'provider'> => {
    const read = (path: string | undefined) => {
      if (!path) return undefined;
      for (const source of [input.userinfo, input.claims, input.token.payload]) {
        const v = source ? getPath(source, path) : undefined;
        if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
      }
      return undefined;
    };
    return {
      id: read(fields.id) ?? '',
      displayName: read(fields.displayName),
      email: read(fields.email),
    };
  };
}
