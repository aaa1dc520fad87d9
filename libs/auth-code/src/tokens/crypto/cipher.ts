/**
 * Symmetric authenticated encryption of one stored record. Every {@link TokenStore} implementation
 * encrypts each value with it before the value leaves the process (or enters the memory map).
 */
export interface Cipher {
  /** Encrypts `plaintext`; the result is a printable string safe to store as-is. */
  encrypt(plaintext: string): string;
  /** Decrypts what {@link Cipher.encrypt} produced; throws {@link DecryptionError} on any tamper. */
  decrypt(ciphertext: string): string;
}

/** Why a ciphertext could not be decrypted. Never carries key material or plaintext. */
export type DecryptionFailure = 'malformed' | 'unknown_key' | 'tampered';

/**
 * A stored record cannot be decrypted: tampered with, truncated, or written under a key that is no
 * longer in the key ring. Stores treat such a record as absent (the user is logged out).
 */
export class DecryptionError extends Error {
  /** What went wrong, without secrets. */
  readonly reason: DecryptionFailure;

  constructor(reason: DecryptionFailure, message: string) {
    super(message);
    this.name = 'DecryptionError';
    this.reason = reason;
  }
}
