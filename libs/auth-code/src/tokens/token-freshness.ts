import type { TokenSet } from '../core/token-set';
import type { ResolvedTokenServiceOptions } from './token-service.options';

/**
 * Whether an access token is still good for at least the skew window plus a random jitter
 * (SECURITY 19: refresh once `expiresAt - skew` has passed).
 */
export function isFresh(
  tokenSet: Pick<TokenSet, 'expiresAt'>,
  o: Pick<ResolvedTokenServiceOptions, 'skewMs' | 'jitterMs' | 'now' | 'random'>,
): boolean {
  return tokenSet.expiresAt - o.skewMs - o.random() * o.jitterMs > o.now();
}

/** Whether an access token is past its expiry (no skew). */
export function isExpired(tokenSet: TokenSet, now: number): boolean {
  return tokenSet.expiresAt <= now;
}
