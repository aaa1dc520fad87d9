import type { TokenSet } from '../core/token-set';
import type { Profile } from '../core/profile';

/** What {@link TokenService.getValidToken} and {@link TokenService.refresh} return. */
export interface ValidToken {
  /** Tokens valid for at least the skew window (or as long as the provider allows). */
  tokenSet: TokenSet;
  /** Whether the tokens were refreshed during this call (here or by another instance). */
  refreshed: boolean;
}

/**
 * What the app keeps of a provider's token answer: the tokens, the user they were issued for and
 * the verified id_token claims. The one name of a grant from the callback to the store (which
 * versions it: `StoredGrant`).
 */
export interface Grant {
  /** Provider id. */
  provider: string;
  /** Normalized profile. */
  profile: Profile;
  /** Tokens of the code exchange. */
  tokenSet: TokenSet;
  /** Verified id_token claims (OIDC), kept for refresh continuity checks. */
  claims?: Record<string, unknown>;
}

/** A completed login (what the callback route gets as `req.user`): a grant, and where to go next. */
export interface AuthCodeLogin extends Grant {
  /** Where to send the browser next (a validated same-origin path). */
  returnTo: string;
}
