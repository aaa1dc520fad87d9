/**
 * The normalized result of a code exchange or a refresh, whatever shape the provider answered in.
 */
export interface TokenSet {
  /** The access token, exactly as the provider issued it. */
  accessToken: string;
  /** The refresh token, when the provider issued one (or the previous one, kept across a refresh). */
  refreshToken?: string;
  /** Token type; providers that omit it get `Bearer`. */
  tokenType: string;
  /** Absolute expiry of the access token, in epoch milliseconds. */
  expiresAt: number;
  /** Granted scope, space separated, when the provider says. */
  scope?: string;
  /** The OpenID Connect id_token, when the provider issued one. */
  idToken?: string;
}

/**
 * The normalized user, the same for every provider. It never carries a token.
 */
export interface Profile {
  /** Id of the provider definition this profile came from, e.g. `isolarcloud`. */
  provider: string;
  /** The user's stable id at the provider (iSolarCloud `auth_user`, OIDC `sub`, XT `user_id`). */
  id: string;
  /** A human readable name, when the provider gives one. */
  displayName?: string;
  /** E-mail address, when the provider gives one. */
  email?: string;
  /** Provider specific extras (for iSolarCloud: `plantIds`, the authorized plant ids). */
  extras?: Record<string, unknown>;
}

/** What the engine returns for a token call: the normalized tokens and the token payload as read. */
export interface TokenResult {
  /** The normalized token set. */
  tokenSet: TokenSet;
  /**
   * The object the token fields were read from (inside the envelope), for profile mapping.
   * Profile mappers must not copy tokens out of it.
   */
  payload: Record<string, unknown>;
}
