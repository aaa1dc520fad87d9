import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs and verifies cookie values with HMAC-SHA256 (`value.signature`, base64url). Several secrets
 * may be given: the first signs, all verify, so the secret can rotate.
 */
export class CookieSigner {
  private readonly secrets: string[];

  constructor(secrets: string | string[]) {
    this.secrets = (Array.isArray(secrets) ? secrets : [secrets]).filter((s) => s.length > 0);
    if (this.secrets.length === 0) throw new Error('CookieSigner needs at least one secret');
  }

  /** `value.signature`. */
  sign(value: string): string {
    return `${value}.${this.mac(this.secrets[0], value)}`;
  }

  /** The value when the signature verifies with any secret, else undefined. */
  unsign(signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const value = signed.slice(0, dot);
    const given = Buffer.from(signed.slice(dot + 1));
    for (const secret of this.secrets) {
      const expected = Buffer.from(this.mac(secret, value));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
    }
    return undefined;
  }

  /** A keyed digest of a value (for deriving cookie names from state without revealing it). */
  digest(value: string, length = 16): string {
    return this.mac(this.secrets[0], `digest:${value}`).slice(0, length);
  }

  /**
   * The value's digest under every secret, the signing one first: a name derived before a
   * rotation (`S1` → `S2,S1`) is still found afterwards.
   */
  digests(value: string, length = 16): string[] {
    return this.secrets.map((s) => this.mac(s, `digest:${value}`).slice(0, length));
  }

  private mac(secret: string, value: string): string {
    return createHmac('sha256', secret).update(value).digest('base64url');
  }
}
