/** A plant the fake user owns. */
export interface FakeIsolarcloudPlant {
  /** Plant id (`ps_id`; a string in `auth_ps_list`, a number in the plant list). */
  id: string;
  /** `ps_name`. */
  name: string;
  /** `ps_location`. @default '' */
  location?: string;
  /** `online_status` 1 when true. @default true */
  online?: boolean;
}

/** Routes whose next answer {@link FakeIsolarcloud.forceError} can force. */
export type FakeIsolarcloudRoute = 'token' | 'refresh' | 'plants';

/** Knobs of {@link FakeIsolarcloud}; each is also a public field that can change between calls. */
export interface FakeIsolarcloudOptions {
  /** @default 'B968E49385CBD8C74587A374E7B1D21A' (the seed's example) */
  appKey?: string;
  /** Expected `x-access-key`. @default 'fake-isolarcloud-secret-key' */
  secretKey?: string;
  /** The numeric App ID the login app accepts. @default '1234' */
  applicationId?: string;
  /**
   * The redirect URL registered for the application: the only `redirectUrl` the login app accepts
   * (byte for byte, after stripping its query) and the only `redirect_uri` the token call accepts.
   * @default 'http://localhost:3000/auth/isolarcloud/callback' (the sample app's)
   */
  redirectUri?: string;
  /** The `cloudId` the login app serves (one cloud per fake). @default '2' (International) */
  cloudId?: string;
  /** `auth_user`. @default 408056 */
  userId?: number;
  /** The user's plants; all of them are authorized at consent. @default the seed's nine plant ids */
  plants?: FakeIsolarcloudPlant[];
  /** `expires_in` of issued access tokens, in seconds; 0 or negative allowed. @default 172799 */
  tokenLifetimeSeconds?: number;
  /** Send `expires_in` as a string, as the table of the seed documents it. @default false */
  expiresInAsString?: boolean;
  /** Refresh answers carry a new single-use refresh token. @default true */
  rotateRefreshTokens?: boolean;
  /** Token fields also at the top level (`true`), or only there (`'only'`). @default false */
  tokensAtTopLevel?: boolean | 'only';
}
