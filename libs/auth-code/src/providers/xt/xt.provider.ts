import type {
  AuthorizeParam,
  ProfileInput,
  ProviderDefinition,
} from '../../core/provider-definition';
import { isObject, nonEmptyString } from '../../core/json';
import type { Profile } from '../../core/profile';
import { ConfigurationError, UnexpectedResponseError } from '../../errors/auth-code.errors';
import type { AuthErrorCode } from '../../errors/error-codes';
import { Messages } from '../../errors/error-messages';
import { checkAuthorizeParams } from '../../engine/authorize-params';

/** Provider id of XT.COM. */
export const XT_ID = 'xt';

/**
 * When an XT.COM answer is a success, for token calls and userinfo alike.
 * deviates from RFC 6749: errors are HTTP 200 too; success is `rc` 0 (number or string).
 */
export const XT_SUCCESS = Object.freeze({ path: 'rc', oneOf: [0, '0'] });

/** The API host XT.COM serves its OAuth token endpoint from [G]. */
export const XT_DEFAULT_API_URL = 'https://sapi.xt.com';

/** Path of the token endpoint, for code exchange and refresh alike [C]. */
export const XT_TOKEN_PATH = '/public/uaa/oauth2/token';

/**
 * XT `mc` codes with a known meaning → normalized code. XT does not publish the codes of its OAuth
 * endpoints; these come from its platform-wide list (as public clients such as ccxt use it) and
 * from the userinfo contract this library defines. Anything else falls to {@link XT_DEFAULT_ERROR_CODE}.
 */
export const XT_DEFAULT_CODE_MAP: Readonly<Record<string, AuthErrorCode>> = {
  // "System busy, please try it later": transient, the grant stays valid
  COMMON_002: 'temporarily_unavailable',
  // our userinfo contract: an access token the API no longer accepts (answered with HTTP 401)
  TOKEN_INVALID: 'token_dead',
};

/**
 * Normalized code of an XT refusal whose `mc` is not in the map. A token call that XT answers with
 * `rc != 0` resends a request that is otherwise constant (same client, same endpoint), so what it
 * refuses is the grant: a used or expired code, an expired or revoked refresh token. Failing closed
 * (`invalid_grant` → the stored tokens are dropped and the user logs in again) beats a session that
 * fails on every request. Transient failures arrive as HTTP 429/5xx, which take precedence.
 */
export const XT_DEFAULT_ERROR_CODE: AuthErrorCode = 'invalid_grant';

/** Options of {@link xt}. */
export interface XtOptions {
  /** The institution's client id (机构标识), issued by XT.COM. */
  clientId: string;
  /** The institution's secret key, issued by XT.COM. It travels in the token URL's query string. */
  clientSecret: string;
  /** The redirect URI registered with XT.COM; sent in the authorize request only. */
  redirectUri: string;
  /** The authorize page. XT.COM does not publish it: take it from your onboarding documents. */
  authorizeUrl: string;
  /** Base URL of the API host the token endpoint lives on. @default {@link XT_DEFAULT_API_URL} */
  apiUrl?: string;
  /**
   * A userinfo endpoint, when XT.COM gave you one; called with `Authorization: Bearer`, answering
   * `{ rc, mc, ma, result: { user_id, nickname?, email? } }`. @default none (profile from the token)
   */
  userinfoUrl?: string;
  /** Scopes sent in the authorize request, e.g. `['userinfo']`. @default none (no `scope` sent) */
  scope?: string[];
  /** Authorize parameter names, when XT.COM spells them differently; `null` drops one. @default RFC 6749 names */
  authorizeParamNames?: Partial<Record<AuthorizeParam, string | null>>;
  /**
   * Extra authorize parameters (e.g. a language). The ones the library sets (`state`,
   * `redirect_uri`, `client_id`, `response_type`, `scope`, ..., and their renamed spellings) are
   * refused.
   * @default none
   */
  authorizeParams?: Record<string, string>;
  /** @deprecated the former name of {@link XtOptions.authorizeParams}; merged under it. */
  authorizeExtraParams?: Record<string, string>;
  /** `mc` codes → normalized codes, merged over {@link XT_DEFAULT_CODE_MAP}. @default {} */
  errorCodeMap?: Record<string, AuthErrorCode>;
  /** Normalized code of an unmapped `mc`. @default {@link XT_DEFAULT_ERROR_CODE} */
  defaultErrorCode?: AuthErrorCode;
}

/**
 * XT.COM OAuth for institutions. The token endpoint is a GET with the client secret and the code in
 * the query string and no redirect_uri; answers are HTTP 200 with an `rc`/`mc`/`ma`/`result`
 * envelope; the expiry is best read from the access token's JWT `exp`; the user is `result.user_id`.
 * The authorize page, userinfo and revocation are not public, hence configuration.
 */
export function xt(options: XtOptions): ProviderDefinition {
  for (const key of ['clientId', 'clientSecret', 'redirectUri', 'authorizeUrl'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '')
      throw configError(`${key} is required`);
  }
  for (const key of ['authorizeUrl', 'apiUrl', 'userinfoUrl'] as const) {
    if (options[key] !== undefined && !URL.canParse(options[key])) {
      throw configError(`${key} is not an absolute URL`);
    }
  }
  const apiUrl = (options.apiUrl ?? XT_DEFAULT_API_URL).replace(/\/+$/, '');
  const tokenCall = {
    url: apiUrl + XT_TOKEN_PATH,
    // deviates from RFC 6749: a GET, every parameter (client secret and code included) in the query
    method: 'GET',
    encoding: 'query',
    clientAuth: 'client_secret_post',
    // deviates from RFC 6749: no redirect_uri in the token request
    paramNames: { redirectUri: null },
  } as const;
  return {
    id: XT_ID,
    displayName: 'XT.COM',
    client: { clientId: options.clientId, clientSecret: options.clientSecret },
    redirectUri: options.redirectUri,
    authorize: {
      url: options.authorizeUrl,
      paramNames: options.authorizeParamNames,
      extraParams: checkAuthorizeParams(
        XT_ID,
        options.authorizeExtraParams || options.authorizeParams
          ? { ...options.authorizeExtraParams, ...options.authorizeParams }
          : undefined,
        options.authorizeParamNames,
      ),
      scope: options.scope,
    },
    token: {
      exchange: tokenCall,
      // same call with grant_type=refresh_token; rotation is unknown, so the engine keeps the old token
      refresh: tokenCall,
      response: {
        success: XT_SUCCESS,
        // deviates from RFC 6749: tokens sit in `result`; no token_type (→ Bearer)
        envelope: 'result',
        acceptTopLevel: true,
        // deviates from RFC 6749: expires_in is documented as milliseconds but its values are
        // seconds; the access token's JWT exp wins, else expires_in counts as seconds
        expiresIn: 'jwt',
      },
    },
    errors: {
      // deviates from RFC 6749: `mc` code instead of `error`. XT has no message field: `ma` holds
      // the code's template arguments (which may echo request values); the engine reads a message
      // only when it is a string, so an `ma` array never reaches an error message.
      codePath: 'mc',
      messagePath: 'ma',
      codeMap: { ...XT_DEFAULT_CODE_MAP, ...options.errorCodeMap },
      defaultCode: options.defaultErrorCode ?? XT_DEFAULT_ERROR_CODE,
    },
    pkce: false,
    userinfo: options.userinfoUrl ? { url: options.userinfoUrl, method: 'GET' } : undefined,
    profile: xtProfile,
  };
}

/**
 * Maps XT's answers to the normalized profile: the id is the token result's `user_id` (the access
 * token's JWT `sub` is a different number), enriched by the userinfo `result` when configured.
 */
export function xtProfile({ token, userinfo }: ProfileInput): Omit<Profile, 'provider'> {
  const info = isObject(userinfo?.result) ? userinfo.result : {};
  const fromToken = idOf(token.payload.user_id);
  const fromUserinfo = idOf(info.user_id);
  if (fromToken && fromUserinfo && fromToken !== fromUserinfo) {
    // the two answers disagree about who logged in: identify nobody rather than the wrong user
    throw new UnexpectedResponseError({
      code: 'invalid_response',
      provider: XT_ID,
      operation: 'userinfo',
      message: Messages.noProfileId(XT_ID),
    });
  }
  return {
    id: fromToken ?? fromUserinfo ?? '',
    displayName: nonEmptyString(info.nickname) ? info.nickname : undefined,
    email: nonEmptyString(info.email) ? info.email : undefined,
  };
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return nonEmptyString(v) ? v : undefined;
}

function configError(why: string): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    provider: XT_ID,
    operation: 'config',
    message: Messages.invalidConfig(XT_ID, why),
  });
}
