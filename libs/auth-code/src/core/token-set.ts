import type { DpopKey } from './dpop-key';

/**
 * The normalized result of a code exchange or a refresh, whatever shape the provider answered in.
 */
export interface TokenSet {
  /** The access token, exactly as the provider issued it. */
  accessToken: string;
  /** The refresh token, when the provider issued one (or the previous one, kept across a refresh). */
  refreshToken?: string;
  /**
   * Absolute expiry of the refresh token, in epoch milliseconds, when known: the provider's
   * `refresh_expires_in` (XT.COM), else the refresh token's own JWT `exp`. Background upkeep
   * refreshes before it, so a connection never dies of disuse.
   */
  refreshExpiresAt?: number;
  /** Token type; providers that omit it get `Bearer`. */
  tokenType: string;
  /** Absolute expiry of the access token, in epoch milliseconds. */
  expiresAt: number;
  /** Granted scope, space separated, when the provider says. */
  scope?: string;
  /** The OpenID Connect id_token, when the provider issued one. */
  idToken?: string;
  /**
   * The DPoP key pair the tokens are bound to (RFC 9449), when the provider uses DPoP: ours, not
   * the provider's, and as secret as the tokens (it stays server-side, encrypted with them).
   */
  dpopKey?: DpopKey;
}

/**
 * What a provider said to a token call (exchange or refresh), read: the normalized tokens, the
 * payload they came in and, once validated, the id_token's claims. The one name of a token
 * answer from the wire until it becomes a {@link Grant} the app keeps.
 */
export interface TokenResponse {
  /** The normalized token set. */
  tokenSet: TokenSet;
  /**
   * The object the token fields were read from (inside the envelope), for profile mapping.
   * Profile mappers must not copy tokens out of it.
   */
  payload: Record<string, unknown>;
  /** Verified id_token claims, when the definition validates id_tokens. */
  claims?: Record<string, unknown>;
}
