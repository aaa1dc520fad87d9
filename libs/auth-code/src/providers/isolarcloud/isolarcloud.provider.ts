import { isObject } from '../../core/json';
import type { ProfileInput, ProviderDefinition } from '../../core/provider-definition';
import type { Profile } from '../../core/profile';
import type { HttpRequest } from '../../engine/http-client';
import { ConfigurationError } from '../../errors/auth-code.errors';
import type { AuthErrorCode } from '../../errors/error-codes';
import { Messages } from '../../errors/error-messages';
import {
  ISOLARCLOUD_DEFAULT_REGION,
  ISOLARCLOUD_ID,
  ISOLARCLOUD_PATHS,
  ISOLARCLOUD_RATE_LIMIT_CODES,
  ISOLARCLOUD_REGIONS,
  ISOLARCLOUD_SECRET_HEADER,
  ISOLARCLOUD_SUCCESS,
  ISOLARCLOUD_TOKEN_DEAD_CODES,
  type IsolarcloudRegion,
} from './isolarcloud.constants';

export * from './isolarcloud.constants';

/** Options of {@link isolarcloud}. Hosts and `cloudId` default from {@link ISOLARCLOUD_REGIONS}. */
export interface IsolarcloudOptions {
  /** The application's AppKey (sent as `appkey`). */
  appKey: string;
  /** The application's secret key (sent in the `x-access-key` header). */
  secretKey: string;
  /** The numeric App ID from the developer portal; a different value from {@link appKey}. */
  applicationId: string;
  /** The redirect URL registered for the application; matched byte for byte. */
  redirectUri: string;
  /** The cloud the users' accounts live in. @default 'intl' (see {@link ISOLARCLOUD_DEFAULT_REGION}) */
  region?: IsolarcloudRegion;
  /** Base URL of the OpenAPI gateway. @default `https://${ISOLARCLOUD_REGIONS[region].gatewayHost}` */
  gatewayUrl?: string;
  /** URL of the login app. @default `https://${ISOLARCLOUD_REGIONS[region].loginHost}` */
  loginUrl?: string;
  /** The login app's `cloudId`. @default `ISOLARCLOUD_REGIONS[region].cloudId` */
  cloudId?: string | number;
  /** Send `grant_type=refresh_token` in the refresh body, as some clients do. @default false */
  refreshIncludesGrantType?: boolean;
}

/** The token payload of iSolarCloud (inside `result_data`), without the token fields. */
export interface IsolarcloudTokenPayload {
  /** The user's id. */
  auth_user?: number | string;
  /** Ids of the plants the user authorized for this application. */
  auth_ps_list?: Array<string | number>;
}

/** Where a configured iSolarCloud application talks to. */
export interface IsolarcloudEndpoints {
  /** Gateway base URL, without a trailing slash. */
  gatewayUrl: string;
  /** Login app URL. */
  loginUrl: string;
  /** The login app's `cloudId`. */
  cloudId: string;
}

/** Resolves hosts and `cloudId` from the region and the explicit overrides. */
export function isolarcloudEndpoints(options: IsolarcloudOptions): IsolarcloudEndpoints {
  const regionId = options.region ?? ISOLARCLOUD_DEFAULT_REGION;
  const region = Object.hasOwn(ISOLARCLOUD_REGIONS, regionId)
    ? ISOLARCLOUD_REGIONS[regionId]
    : undefined;
  if (!region) {
    const known = Object.keys(ISOLARCLOUD_REGIONS).join(', ');
    throw configError(`region "${String(regionId)}" is not one of ${known}`);
  }
  return {
    gatewayUrl: (options.gatewayUrl ?? `https://${region.gatewayHost}`).replace(/\/+$/, ''),
    loginUrl: options.loginUrl ?? `https://${region.loginHost}`,
    cloudId: String(options.cloudId ?? region.cloudId),
  };
}

/** iSolarCloud `result_code` → normalized code, for token calls and API calls alike. */
const CODE_MAP: Record<string, AuthErrorCode> = {
  '2': 'invalid_grant',
  '3': 'unauthorized_client',
  '4': 'invalid_client',
  '5': 'redirect_uri_mismatch',
  '6': 'unsupported_grant_type',
  ...Object.fromEntries(ISOLARCLOUD_TOKEN_DEAD_CODES.map((c) => [c, 'token_dead'])),
  ...Object.fromEntries(ISOLARCLOUD_RATE_LIMIT_CODES.map((c) => [c, 'rate_limited'])),
};

/**
 * Sungrow iSolarCloud OpenAPI. Nearly every step deviates from RFC 6749: a single-page login app
 * with its parameters in the fragment, JSON token calls authenticated by a header, answers in a
 * `result_code` envelope inside HTTP 200, a separate refresh path with rotating refresh tokens, and
 * no userinfo endpoint (identity is `auth_user`, the authorized plants are `auth_ps_list`).
 */
export function isolarcloud(options: IsolarcloudOptions): ProviderDefinition {
  for (const key of ['appKey', 'secretKey', 'applicationId', 'redirectUri'] as const) {
    if (!options[key]) throw configError(`${key} is required`);
  }
  const { gatewayUrl, loginUrl, cloudId } = isolarcloudEndpoints(options);
  const json = {
    method: 'POST',
    // deviates from RFC 6749: JSON body instead of a form
    encoding: 'json',
    // deviates from RFC 6749: the secret travels in the x-access-key header, the id as `appkey`
    clientAuth: 'secret_header',
    secretHeader: ISOLARCLOUD_SECRET_HEADER,
  } as const;
  return {
    id: ISOLARCLOUD_ID,
    displayName: 'iSolarCloud',
    client: { clientId: options.appKey, clientSecret: options.secretKey },
    redirectUri: options.redirectUri,
    authorize: {
      url: loginUrl,
      // deviates from RFC 6749: SPA route with camelCase parameters in the fragment, state before '#'
      placement: 'fragment',
      fragmentPath: ISOLARCLOUD_PATHS.authorizeFragment,
      // deviates from RFC 6749: no client_id/response_type/scope; the App ID and cloud instead
      paramNames: { clientId: null, redirectUri: 'redirectUrl', responseType: null, scope: null },
      extraParams: { cloudId, applicationId: options.applicationId },
    },
    token: {
      exchange: {
        ...json,
        url: gatewayUrl + ISOLARCLOUD_PATHS.token,
        paramNames: { clientId: 'appkey' },
      },
      refresh: {
        ...json,
        // deviates from RFC 6749: refresh has its own path and, usually, no grant_type
        url: gatewayUrl + ISOLARCLOUD_PATHS.refresh,
        paramNames: {
          clientId: 'appkey',
          grantType: options.refreshIncludesGrantType ? 'grant_type' : null,
        },
      },
      response: {
        success: ISOLARCLOUD_SUCCESS,
        // deviates from RFC 6749: tokens sit in result_data (real answers also repeat them on top)
        envelope: 'result_data',
        acceptTopLevel: true,
        // expires_in is seconds, as a string or a number; <= 0 means the token is already due
        expiresIn: 's',
      },
    },
    // deviates from RFC 6749: numeric result_code and result_msg instead of error/error_description
    errors: { codePath: 'result_code', messagePath: 'result_msg', codeMap: CODE_MAP },
    pkce: false,
    profile: isolarcloudProfile,
  };
}

/** Maps the token payload (`auth_user`, `auth_ps_list`) to the normalized profile. */
export function isolarcloudProfile({ token }: ProfileInput): Omit<Profile, 'provider'> {
  const top = token.payload as IsolarcloudTokenPayload & { result_data?: unknown };
  // tokens found only at the top level: the identity may still sit in result_data
  const data = (isObject(top.result_data) ? top.result_data : {}) as IsolarcloudTokenPayload;
  const user = top.auth_user ?? data.auth_user;
  const plants = top.auth_ps_list ?? data.auth_ps_list;
  const id =
    typeof user === 'number' || (typeof user === 'string' && user !== '') ? String(user) : '';
  return {
    id,
    displayName: id ? `iSolarCloud user ${id}` : undefined,
    extras: { plantIds: Array.isArray(plants) ? plants.map(String) : [] },
  };
}

/**
 * The plant-list API call (`queryPowerStationList`) as a ready-to-send request, for an API client:
 * `Authorization: Bearer`, the secret key header and a JSON body `{ appkey, page, size }`.
 * Errors come back with HTTP 200 and a `result_code` (see {@link ISOLARCLOUD_TOKEN_DEAD_CODES}).
 */
export function isolarcloudPlantListRequest(
  options: IsolarcloudOptions,
  accessToken: string,
  page = 1,
  size = 50,
): HttpRequest {
  return {
    url: isolarcloudEndpoints(options).gatewayUrl + ISOLARCLOUD_PATHS.plantList,
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
      [ISOLARCLOUD_SECRET_HEADER]: options.secretKey,
    },
    body: JSON.stringify({ appkey: options.appKey, page, size }),
  };
}

function configError(why: string): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    provider: ISOLARCLOUD_ID,
    operation: 'config',
    message: Messages.invalidConfig(ISOLARCLOUD_ID, why),
  });
}
