import { decodeJwtPayload } from '../core/jwt';
import type { TokenResponseSpec } from '../core/provider-definition';

/**
 * Longest value accepted for each token field, in characters. Real tokens are far shorter (a JWT
 * access token with many claims is a few KB); a longer one is an upstream's garbage or an attack
 * (issue 9, hole 2: a 50 MB access token was stored and made every request slow), and the answer
 * is refused as `invalid_response` with nothing stored.
 */
export const TOKEN_FIELD_LIMITS = {
  accessToken: 16 * 1024,
  refreshToken: 16 * 1024,
  idToken: 16 * 1024,
  scope: 4 * 1024,
  tokenType: 64,
} as const;

/** A token field with a length limit. */
export type LimitedTokenField = keyof typeof TOKEN_FIELD_LIMITS;

/**
 * The longest access-token lifetime believed: 10 years. A provider's `expires_in` (or JWT `exp`)
 * is clamped to now ± 10 years, so an absurd value (1e20, 1e308, -1e308, a JWT `exp` of 1e20)
 * can neither overflow a `Date` (pages formatting it threw a RangeError) nor become `Infinity`,
 * which JSON stores as `null` (issue 9, hole 5). A past expiry stays in the past (the token is
 * due: iSolarCloud answers `expires_in` ≤ 0 right after login), just not absurdly far.
 */
export const MAX_TOKEN_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;

/** Longest `expires_in` string parsed as a number; longer ones count as absent. */
const MAX_EXPIRES_IN_TEXT = 32;

/** `at` (epoch ms) clamped to now ± {@link MAX_TOKEN_LIFETIME_MS}; NaN becomes now (due). */
export function clampExpiry(at: number, now: number): number {
  if (Number.isNaN(at)) return now;
  return Math.min(Math.max(at, now - MAX_TOKEN_LIFETIME_MS), now + MAX_TOKEN_LIFETIME_MS);
}

/**
 * The absolute expiry of an access token: the JWT `exp` for `expiresIn: 'jwt'` when the token is
 * a JWT, else `expires_in` in the definition's unit, else the definition's default lifetime —
 * always a finite epoch-ms value within {@link clampExpiry}'s range.
 */
export function expiresAt(
  spec: TokenResponseSpec,
  accessToken: string,
  raw: unknown,
  now: number,
): number {
  if (spec.expiresIn === 'jwt') {
    const exp = decodeJwtPayload(accessToken)?.exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) return clampExpiry(exp * 1000, now);
  }
  const n = lifetimeNumber(raw);
  // expires_in may be 0 or negative right after login (iSolarCloud): the token is then already due.
  if (!Number.isFinite(n))
    return clampExpiry(now + (spec.defaultExpiresInSeconds ?? 3600) * 1000, now);
  return clampExpiry(spec.expiresIn === 'ms' ? now + n : now + n * 1000, now);
}

/**
 * The absolute expiry of a refresh token, when the provider says: its `refresh_expires_in` (in the
 * unit of `expires_in`; seconds for `jwt`), else the refresh token's own JWT `exp`, else
 * `undefined` (unknown: many providers' refresh tokens live until revoked). Clamped like
 * {@link expiresAt}.
 */
export function refreshExpiresAt(
  spec: TokenResponseSpec,
  refreshToken: string,
  raw: unknown,
  now: number,
): number | undefined {
  const n = lifetimeNumber(raw);
  if (Number.isFinite(n))
    return clampExpiry(spec.expiresIn === 'ms' ? now + n : now + n * 1000, now);
  const exp = decodeJwtPayload(refreshToken)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? clampExpiry(exp * 1000, now) : undefined;
}

/** A lifetime field as a number (a JSON number, or a short numeric string), else NaN. */
function lifetimeNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && raw.length <= MAX_EXPIRES_IN_TEXT) {
    return Number(raw);
  }
  return NaN;
}

/** The first field whose value is longer than its limit, or `undefined`. */
export function overlongField(
  values: Partial<Record<LimitedTokenField, string>>,
): LimitedTokenField | undefined {
  return (Object.keys(TOKEN_FIELD_LIMITS) as LimitedTokenField[]).find(
    (f) => (values[f]?.length ?? 0) > TOKEN_FIELD_LIMITS[f],
  );
}

/** `token_type` as sent, with `bearer` in any case spelled `Bearer`; absent means `Bearer`. */
export function normalizeTokenType(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return 'Bearer';
  return raw.toLowerCase() === 'bearer' ? 'Bearer' : raw;
}
