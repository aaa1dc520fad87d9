import type { TokenSet } from '../core/token-set';
import type { SessionRecord } from '../stores/token-store.interface';
import type { GrantScope } from './connections.types';

/** Start of every connections record's id: never a session id (those are 43 base64url chars). */
const CONNECTIONS_PREFIX = 'user:';

/**
 * The id of a user's connections record, under which that user's user-scoped grants are stored.
 * It is never issued in a cookie (cookies carry random session ids, signed), and guards refuse a
 * record of this kind.
 */
export function connectionsId(userKey: string): string {
  return CONNECTIONS_PREFIX + userKey;
}

/** The user key a connections id names, or undefined for a session id. */
export function userKeyOf(ownerId: string): string | undefined {
  return ownerId.startsWith(CONNECTIONS_PREFIX)
    ? ownerId.slice(CONNECTIONS_PREFIX.length)
    : undefined;
}

/** The id `provider`'s grant of this session is stored under: the session's, or its user's connections. */
export function grantOwner(session: SessionRecord, provider: string): string {
  return session.userKey !== undefined && session.connected?.includes(provider)
    ? connectionsId(session.userKey)
    : session.id;
}

/** When background upkeep should look at a grant, and what decides it. */
export interface UpkeepTiming {
  /** Refresh skew, ms. */
  skewMs: number;
  /** How long before its own expiry a refresh token is used, at most, ms. */
  refreshTokenMarginMs: number;
  /** Clock. */
  now: () => number;
}

/**
 * When upkeep should next look at a grant: a user-scoped grant when its access token is due; any
 * grant whose refresh token has a known expiry a margin before it (at most half its remaining
 * life), so that it is used before it dies of disuse. `undefined`: never (no refresh token, or a
 * session grant whose refresh token does not expire).
 */
export function upkeepAt(
  tokenSet: TokenSet,
  scope: GrantScope,
  t: UpkeepTiming,
): number | undefined {
  if (!tokenSet.refreshToken) return undefined;
  const due: number[] = [];
  if (scope === 'user') due.push(tokenSet.expiresAt - t.skewMs);
  if (tokenSet.refreshExpiresAt !== undefined) {
    const left = Math.max(0, tokenSet.refreshExpiresAt - t.now());
    due.push(tokenSet.refreshExpiresAt - Math.min(t.refreshTokenMarginMs, left / 2));
  }
  return due.length ? Math.min(...due) : undefined;
}
