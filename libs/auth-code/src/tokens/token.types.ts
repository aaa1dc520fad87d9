import type { Profile, TokenSet } from '../core/token-set';

/** What {@link TokenService.getValidToken} and {@link TokenService.refresh} return. */
export interface ValidToken {
  /** Tokens valid for at least the skew window (or as long as the provider allows). */
  tokenSet: TokenSet;
  /** Whether the tokens were refreshed during this call (here or by another instance). */
  refreshed: boolean;
}

/** A completed login to store: what the callback produced. */
export interface LoginGrant {
  /** Provider id. */
  provider: string;
  /** Normalized profile. */
  profile: Profile;
  /** Tokens of the code exchange. */
  tokenSet: TokenSet;
  /** Verified id_token claims (OIDC), kept for refresh continuity checks. */
  claims?: Record<string, unknown>;
}
