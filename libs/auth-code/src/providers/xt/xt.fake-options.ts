/** A call of {@link FakeXt} that can be told to fail: the code exchange, the refresh, userinfo. */
export type FakeXtCall = 'token' | 'refresh' | 'userinfo';

/** Knobs of {@link FakeXt}; each is also a public field that tests may change at any time. */
export interface FakeXtOptions {
  /** @default 'XTFAKECLIENT0001' */
  clientId: string;
  /** @default 'xt-fake-client-secret' */
  clientSecret: string;
  /** The `user_id` of the user who approves. @default '12345678' */
  userId: string;
  /** Access token lifetime: JWT `exp` and `expires_in`, in seconds. @default 86400 */
  tokenLifetimeSeconds: number;
  /** Refresh token lifetime: JWT `exp` and `refresh_expires_in`, in seconds. @default 15552000 */
  refreshLifetimeSeconds: number;
  /** Authorization code lifetime, in seconds. @default 300 */
  codeLifetimeSeconds: number;
  /**
   * Issue a new refresh token on every refresh and treat a spent one as reuse (its family is
   * revoked). Without rotation the refresh answer carries no refresh token. @default false
   */
  rotateRefreshTokens: boolean;
  /**
   * The redirect URI registered for the institution: the only one the authorize page accepts.
   * @default 'http://localhost:3000/auth/xt/callback' (the sample app's)
   */
  redirectUri: string;
  /** What userinfo says about the user besides `user_id`. @default a nickname and an e-mail */
  userinfo: Record<string, unknown>;
}
