import type { TokenValidationContext } from '../../core/provider-definition';
import { Messages } from '../../errors/error-messages';

const R = Messages.idTokenReason;

/** What the claims of an id_token are checked against. */
export interface ClaimExpectations {
  /** Exact `iss`. */
  issuer: string;
  /** Our client id: must be in `aud`, and be `azp` when there is one. */
  clientId: string;
  /** Allowed clock difference for `exp`, `iat` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
  /** A code exchange must come with the nonce sent in the authorize request. */
  requireNonce: boolean;
}

/**
 * Checks the claims of a signature-verified id_token (OpenID Connect Core 3.1.3.7, and 12.2 on
 * refresh). Returns `undefined` when they pass, else the reason to put in the error message.
 */
export function checkIdTokenClaims(
  claims: Record<string, unknown>,
  expect: ClaimExpectations,
  ctx: TokenValidationContext,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  const tolerance = expect.clockToleranceSeconds;
  if (claims.iss !== expect.issuer) return R.issuer(expect.issuer);
  if (typeof claims.sub !== 'string' || claims.sub === '') return R.subMissing();

  const aud = audiences(claims.aud);
  if (!aud.includes(expect.clientId)) return R.audience(expect.clientId);
  if ((aud.length > 1 || claims.azp !== undefined) && claims.azp !== expect.clientId) {
    return R.azp(expect.clientId);
  }

  if (typeof claims.exp !== 'number') return R.expMissing();
  if (nowSeconds - tolerance >= claims.exp) return R.expired();
  if (typeof claims.iat !== 'number') return R.iatMissing();
  if (claims.iat > nowSeconds + tolerance) return R.iatFuture(claims.iat - nowSeconds);
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + tolerance) return R.notYetValid();

  if (ctx.operation === 'exchange') {
    // Fail closed: a definition that sends a nonce must be validated against it.
    if (ctx.nonce === undefined && expect.requireNonce) return R.nonceNotSent();
    if (ctx.nonce !== undefined && claims.nonce !== ctx.nonce) return R.nonce();
  }
  if (ctx.operation === 'refresh' && ctx.previousClaims) {
    return checkContinuity(claims, ctx.previousClaims);
  }
  return undefined;
}

/** OpenID Connect Core 12.2: a refreshed id_token keeps the login's iss, sub, aud and azp. */
function checkContinuity(
  claims: Record<string, unknown>,
  previous: Record<string, unknown>,
): string | undefined {
  for (const claim of ['iss', 'sub', 'azp'] as const) {
    if (claims[claim] !== previous[claim]) return R.continuity(claim);
  }
  const before = audiences(previous.aud).sort();
  const now = audiences(claims.aud).sort();
  if (before.length !== now.length || before.some((a, i) => a !== now[i])) {
    return R.continuity('aud');
  }
  return undefined;
}

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}
