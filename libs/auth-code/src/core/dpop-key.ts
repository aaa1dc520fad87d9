import type { JWK } from 'jose';

/** The JWS algorithms a DPoP proof can be signed with here (RFC 9449 asks for asymmetric ones). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'PS256', 'RS256', 'EdDSA'] as const;

/** One of {@link DPOP_ALGORITHMS}. */
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/** A provider's DPoP setting (RFC 9449): proofs on token, refresh and resource calls. */
export interface DpopSpec {
  /** The proofs' signing algorithm. @default 'ES256' */
  alg?: DpopAlgorithm;
}

/**
 * A DPoP key pair as it is stored: the key the grant's tokens are bound to. It is ours, not the
 * provider's, and secret (the private JWK): it lives in the token set, which every store keeps
 * encrypted, so a refresh or an API call works on any instance.
 */
export interface DpopKey {
  /** The proofs' algorithm. */
  alg: DpopAlgorithm;
  /** The private key, as a JWK (with `d`). */
  privateJwk: JWK;
  /** The public key, as a JWK: what each proof's header carries. */
  publicJwk: JWK;
}
