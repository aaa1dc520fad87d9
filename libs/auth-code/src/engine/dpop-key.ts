import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { DpopAlgorithm, DpopKey } from '../core/dpop-key';

/** The public members of a JWK: what a proof's `jwk` header may carry (never `d`, `p`, `q`, …). */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/** Most imported signing keys kept in this process (one per grant in use). */
const MAX_IMPORTED = 1000;
const imported = new Map<string, Promise<CryptoKey>>();

/**
 * A fresh DPoP key pair for one grant (RFC 9449 2), exportable so that it can be stored
 * (encrypted) with the grant and used by any instance.
 */
export async function createDpopKey(alg: DpopAlgorithm = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  const [privateJwk, publicJwk] = await Promise.all([exportJWK(privateKey), exportJWK(publicKey)]);
  return { alg, privateJwk, publicJwk: publicMembers(publicJwk) };
}

/** Only the public members of a JWK. */
export function publicMembers(jwk: JWK): JWK {
  const out: JWK = {};
  for (const name of PUBLIC_MEMBERS) if (jwk[name] !== undefined) out[name] = jwk[name];
  return out;
}

/**
 * The private key as a `CryptoKey`, imported once per process and key: a grant read from the
 * store is a new object on every request, so the memo is keyed by the public key's value.
 */
export function signingKeyOf(key: DpopKey): Promise<CryptoKey> {
  const id = `${key.alg}:${key.publicJwk.x ?? key.publicJwk.n}:${key.publicJwk.y ?? ''}`;
  let found = imported.get(id);
  if (found === undefined) {
    found = importJWK(key.privateJwk, key.alg) as Promise<CryptoKey>;
    // a key that does not import is not remembered: the next call reports it again
    found.catch(() => imported.delete(id));
    if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value as string);
    imported.set(id, found);
  }
  return found;
}
