import type { ProtectedHeaderParameters } from 'jose';
import type { LogoutTokenClaims } from '../../core/provider-logout';
import { Messages } from '../../errors/error-messages';

const R = Messages.logoutTokenReason;

/** The event a back-channel logout token must carry (OpenID Connect Back-Channel Logout 1.0, 2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Longest `jti`, `sub` and `sid` accepted. */
const MAX_ID = 256;

/** What the claims of a logout token are checked against. */
export interface LogoutTokenExpectations {
  /** Exact `iss`. */
  issuer: string;
  /** Our client id: must be in `aud`. */
  clientId: string;
  /** Allowed clock difference, seconds. */
  clockToleranceSeconds: number;
  /** Oldest `iat` accepted, seconds before now. */
  maxAgeSeconds: number;
}

/**
 * Checks a signature-verified logout token (Back-Channel Logout 1.0, 2.6): `typ` (when present)
 * `logout+jwt`, `iss`, `aud`, `iat` neither in the future nor older than the maximum age, `exp`
 * (when present), `jti`, the back-channel `events` member, `sub` and/or `sid`, and no `nonce`
 * (so an id_token cannot pass as one). Returns the claims that matter, or the reason to refuse.
 */
export function checkLogoutTokenClaims(
  claims: Record<string, unknown>,
  header: ProtectedHeaderParameters,
  expect: LogoutTokenExpectations,
  nowSeconds = Math.floor(Date.now() / 1000),
): LogoutTokenClaims | { reason: string } {
  const tolerance = expect.clockToleranceSeconds;
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : undefined;
  if (typ !== undefined && !['logout+jwt', 'application/logout+jwt', 'jwt'].includes(typ)) {
    return { reason: R.typ(header.typ as string) };
  }
  if (claims.iss !== expect.issuer) return { reason: R.issuer(expect.issuer) };
  const aud = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!Array.isArray(aud) || !aud.includes(expect.clientId))
    return { reason: R.audience(expect.clientId) };
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return { reason: R.iatMissing() };
  if (iat > nowSeconds + tolerance) return { reason: R.iatFuture(iat - nowSeconds) };
  if (iat < nowSeconds - expect.maxAgeSeconds - tolerance) {
    return { reason: R.tooOld(expect.maxAgeSeconds) };
  }
  if (exp !== undefined && (typeof exp !== 'number' || nowSeconds - tolerance >= exp)) {
    return { reason: R.expired() };
  }
  if (!isId(claims.jti)) return { reason: R.jtiMissing() };
  const events = claims.events as Record<string, unknown> | undefined;
  const event = events && typeof events === 'object' ? events[BACKCHANNEL_LOGOUT_EVENT] : undefined;
  if (!event || typeof event !== 'object' || Array.isArray(event)) return { reason: R.events() };
  const sub = claims.sub;
  const sid = claims.sid;
  if (sub !== undefined && !isId(sub)) return { reason: R.subOrSid() };
  if (sid !== undefined && !isId(sid)) return { reason: R.subOrSid() };
  if (sub === undefined && sid === undefined) return { reason: R.subOrSid() };
  if (claims.nonce !== undefined) return { reason: R.nonce() };
  return { jti: claims.jti, sub, sid, iat };
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && v.length <= MAX_ID;
}
