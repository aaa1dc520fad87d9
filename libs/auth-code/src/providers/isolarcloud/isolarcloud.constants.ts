/** Id of the Sungrow iSolarCloud provider definition. */
export const ISOLARCLOUD_ID = 'isolarcloud';

/** The iSolarCloud clouds. An account lives in exactly one of them. */
export type IsolarcloudRegion = 'cn' | 'intl' | 'eu' | 'au' | 'in';

/** One iSolarCloud cloud: where its API gateway and login app live, and its `cloudId`. */
export interface IsolarcloudRegionInfo {
  /** Name shown to people. */
  name: string;
  /** Host of the OpenAPI gateway (token, refresh and API calls). */
  gatewayHost: string;
  /** Host of the single-page login app (the authorize URL). */
  loginHost: string;
  /** The `cloudId` the login app expects in its fragment. */
  cloudId: number;
}

/** The regions as confirmed by the developer portal and working clients (PROVIDERS.md 1). */
export const ISOLARCLOUD_REGIONS: Readonly<Record<IsolarcloudRegion, IsolarcloudRegionInfo>> =
  Object.freeze({
    // some clients use web3.isolarcloud.com for China: override with `loginUrl` if needed
    cn: {
      name: 'China',
      gatewayHost: 'gateway.isolarcloud.com',
      loginHost: 'web3.isolarcloud.com.cn',
      cloudId: 1,
    },
    intl: {
      name: 'International',
      gatewayHost: 'gateway.isolarcloud.com.hk',
      loginHost: 'web3.isolarcloud.com.hk',
      cloudId: 2,
    },
    eu: {
      name: 'Europe',
      gatewayHost: 'gateway.isolarcloud.eu',
      loginHost: 'web3.isolarcloud.eu',
      cloudId: 3,
    },
    au: {
      name: 'Australia',
      gatewayHost: 'augateway.isolarcloud.com',
      loginHost: 'auweb3.isolarcloud.com',
      cloudId: 7,
    },
    in: {
      name: 'India',
      gatewayHost: 'gateway.isolarcloud.in',
      loginHost: 'web3.isolarcloud.in',
      cloudId: 9,
    },
  });

/**
 * The region used when none is configured: the International cloud, which serves every country
 * without a cloud of its own. Accounts in China, Europe, Australia or India must set `region`.
 */
export const ISOLARCLOUD_DEFAULT_REGION: IsolarcloudRegion = 'intl';

/** Paths of the login app route and the gateway endpoints. */
export const ISOLARCLOUD_PATHS = Object.freeze({
  /** Route of the login SPA, inside the fragment. */
  authorizeFragment: '/authorized-app',
  /** Code exchange. */
  token: '/openapi/apiManage/token',
  /** Refresh (a separate path, unlike RFC 6749). */
  refresh: '/openapi/apiManage/refreshToken',
  /** The plant list, a typical API call made with the access token. */
  plantList: '/openapi/platform/queryPowerStationList',
});

/** Header carrying the application's secret key on every gateway call. */
export const ISOLARCLOUD_SECRET_HEADER = 'x-access-key';

/**
 * API `result_code`s that mean the access token is dead (unverified, from public clients): the
 * caller should refresh once, then require a new login.
 */
export const ISOLARCLOUD_TOKEN_DEAD_CODES: readonly string[] = Object.freeze([
  'E00003',
  'E900',
  'E912',
  'E914',
  'E919',
]);

/** API `result_code`s that mean "too many requests": back off and retry later. */
export const ISOLARCLOUD_RATE_LIMIT_CODES: readonly string[] = Object.freeze(['E998', 'E999']);

/**
 * When an iSolarCloud answer is a success, for token calls and API calls alike.
 * deviates from RFC 6749: errors are HTTP 200 too; success is `result_code` "1" (or 1).
 */
export const ISOLARCLOUD_SUCCESS = Object.freeze({ path: 'result_code', oneOf: ['1', 1] });
