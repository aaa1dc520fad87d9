import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

/**
 * The RS256 signing key of {@link FakeTencentCiam}: signs its access tokens and id_tokens and
 * publishes the public half. Rotation replaces the key: the old one leaves the JWKS at once.
 */
export class FakeTencentCiamSigner {
  private current?: { kid: string; privateKey: CryptoKey; jwk: JWK };

  /** The current key id; throws before the first {@link rotate}. */
  get kid(): string {
    if (!this.current) throw new Error('FakeTencentCiamSigner has no key yet');
    return this.current.kid;
  }

  /** Whether a key exists. */
  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Generates a new RS256 key pair with a new `kid`, dropping the old one; returns the new kid. */
  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    this.current = { kid, privateKey, jwk };
    return kid;
  }

  /** The public keys, as the JWKS endpoint lists them. */
  publicJwks(): JWK[] {
    return this.current ? [{ ...this.current.jwk }] : [];
  }

  /** Signs claims as a compact RS256 JWT with the header Tencent uses (`kid`, `typ`, `alg`). */
  async sign(claims: JWTPayload): Promise<string> {
    if (!this.current) throw new Error('FakeTencentCiamSigner has no key yet');
    return new SignJWT(claims)
      .setProtectedHeader({ kid: this.current.kid, typ: 'JWT', alg: 'RS256' })
      .sign(this.current.privateKey);
  }
}
