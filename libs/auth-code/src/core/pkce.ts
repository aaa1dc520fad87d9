import { createHash, randomBytes } from 'node:crypto';

/** A fresh random value, base64url, `bytes` bytes of entropy (32 → 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A PKCE code verifier: 43 characters of base64url (RFC 7636 allows 43–128). */
export function createCodeVerifier(): string {
  return randomToken(32);
}

/** The S256 code challenge of a verifier: base64url(sha256(verifier)). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
