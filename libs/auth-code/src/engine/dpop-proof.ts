import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DpopKey } from '../core/dpop-key';
import { randomToken } from '../core/pkce';
import { signingKeyOf } from './dpop-key';

/** What one DPoP proof is for. */
export interface DpopProofInput {
  /** HTTP method of the request. */
  method: string;
  /** URL of the request; the proof's `htu` is it without query and fragment. */
  url: string;
  /** The server's latest `DPoP-Nonce`, when it gave one. */
  nonce?: string;
  /** The access token the request presents (resource requests): its hash becomes `ath`. */
  accessToken?: string;
  /** Clock, epoch ms. @default Date.now() */
  now?: number;
}

/**
 * A DPoP proof JWT (RFC 9449 4.2): header `typ: dpop+jwt`, the algorithm and the public key;
 * claims `jti` (128 random bits), `htm`, `htu`, `iat`, and `nonce` and `ath` when given.
 */
export async function dpopProof(key: DpopKey, input: DpopProofInput): Promise<string> {
  const claims: Record<string, string> = {
    jti: randomToken(16),
    htm: input.method.toUpperCase(),
    htu: htu(input.url),
  };
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  if (input.accessToken !== undefined) claims.ath = accessTokenHash(input.accessToken);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk })
    .setIssuedAt(Math.floor((input.now ?? Date.now()) / 1000))
    .sign(await signingKeyOf(key));
}

/** The `htu` of a URL: without query and fragment (RFC 9449 4.2). */
export function htu(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** `ath`: base64url(SHA-256(access token)) (RFC 9449 4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}
