import type { JWK } from 'jose';

/** The outcome of looking for the key that signed a JWS. */
export type KeySelection =
  { kind: 'found'; key: JWK } | { kind: 'none' } | { kind: 'ambiguous'; count: number };

const CURVE_BY_ALG: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Whether a JWK can verify a signature made with `alg`. */
export function canVerify(key: JWK, alg: string): boolean {
  if (key.use !== undefined && key.use !== 'sig') return false;
  if (Array.isArray(key.key_ops) && !key.key_ops.includes('verify')) return false;
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (/^(RS|PS)\d{3}$/.test(alg)) return key.kty === 'RSA';
  if (alg in CURVE_BY_ALG) return key.kty === 'EC' && key.crv === CURVE_BY_ALG[alg];
  if (alg === 'EdDSA' || alg === 'Ed25519') return key.kty === 'OKP';
  return false;
}

/**
 * Picks the key for a JWS header: the usable key with the header's `kid`; without a `kid`, the one
 * usable key of the set (several make the choice ambiguous, which is refused).
 */
export function selectSigningKey(keys: JWK[], header: { alg: string; kid?: string }): KeySelection {
  const usable = keys.filter((k) => canVerify(k, header.alg));
  const matching = header.kid === undefined ? usable : usable.filter((k) => k.kid === header.kid);
  if (matching.length === 1) return { kind: 'found', key: matching[0] };
  if (matching.length === 0) return { kind: 'none' };
  return { kind: 'ambiguous', count: matching.length };
}
