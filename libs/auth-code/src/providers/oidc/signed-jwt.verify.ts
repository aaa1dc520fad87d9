import { compactVerify, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { parseObject } from '../../core/json';
import { Messages } from '../../errors/error-messages';
import type { JwksCache } from './jwks.cache';
import { selectSigningKey } from './signing-key.select';

const R = Messages.idTokenReason;

/** A verified JWT, or why it is refused. */
export type SignedJwtResult =
  | { claims: Record<string, unknown>; header: ProtectedHeaderParameters }
  | { reason: string; cause?: unknown };

/**
 * Verifies a compact JWS signed by a key of the provider's JWKS (an unknown `kid` fetches the JWKS
 * once more) with one of `algorithms` (`none` refused), and parses its payload as a JSON object.
 * Returns the claims and header, or the reason to refuse it (the messages of the id_token checks).
 */
export async function verifySignedJwt(
  token: string,
  jwks: JwksCache,
  algorithms: readonly string[],
): Promise<SignedJwtResult> {
  let header: ProtectedHeaderParameters;
  try {
    if (token.split('.').length !== 3) throw new Error('not a compact JWS');
    header = decodeProtectedHeader(token);
  } catch (cause) {
    return { reason: R.malformed(), cause };
  }
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (alg.toLowerCase() === 'none') return { reason: R.algNone() };
  if (!algorithms.includes(alg)) return { reason: R.algNotAllowed(alg, algorithms) };
  const kid = typeof header.kid === 'string' ? header.kid.slice(0, 100) : undefined;
  let found = selectSigningKey(await jwks.get(), { alg, kid });
  if (found.kind === 'none') found = selectSigningKey(await jwks.refresh(), { alg, kid });
  if (found.kind === 'ambiguous') return { reason: R.ambiguousKey(kid, found.count) };
  if (found.kind === 'none') return { reason: R.noKey(kid) };
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, found.key, { algorithms: [alg] }));
  } catch (cause) {
    return { reason: R.signature(), cause };
  }
  const claims = parseObject(new TextDecoder().decode(payload));
  return claims ? { claims, header } : { reason: R.notJson() };
}
