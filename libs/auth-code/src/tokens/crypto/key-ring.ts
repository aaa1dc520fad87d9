import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { DecryptionError, type Cipher } from './cipher';
import { parseKeyList } from './key-format';

const FORMAT = 'a1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Name of the environment variable holding the key ring. */
export const ENCRYPTION_KEYS_VARIABLE = 'AUTH_ENCRYPTION_KEYS';

/** One key of a {@link KeyRing}: 32 bytes and the short id derived from them. */
export interface RingKey {
  /** Key id written into every ciphertext: 8 base64url chars of SHA-256 over the key. */
  id: string;
  /** The 256-bit AES key. */
  key: Buffer;
}

/**
 * AES-256-GCM with key rotation. The first key encrypts; every key decrypts. Ciphertext format:
 * `a1.<keyId>.<base64url(iv ‖ tag ‖ ciphertext)>` with a random 12-byte IV per record and the
 * format and key id as additional authenticated data, so a record relabelled or copied to another
 * key does not decrypt. To rotate: prepend a new key (`new,old`), drop the old one once every
 * record written under it has expired.
 */
export class KeyRing implements Cipher {
  private readonly byId: Map<string, SealingKey>;
  private readonly primary: SealingKey;

  /** @param keys 32-byte keys, the encrypting one first. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('A KeyRing needs at least one key');
    const ring = keys.map((key) => {
      if (key.length !== 32) throw new Error('KeyRing keys must be 32 bytes');
      const id = keyId(key);
      return { id, key: Buffer.from(key), aad: aad(id) };
    });
    this.primary = ring[0];
    this.byId = new Map(ring.map((k) => [k.id, k]));
  }

  /**
   * Builds the ring from the value of `AUTH_ENCRYPTION_KEYS` (comma-separated keys, each 32 random
   * bytes as base64, base64url or hex). Unset or blank: in production (`nodeEnv === 'production'`)
   * throws {@link ConfigurationError}; anywhere else uses a random key for this process and warns.
   * A malformed entry always throws {@link ConfigurationError} naming the variable and position.
   */
  static fromEnvironment(
    value: string | undefined,
    nodeEnv: string | undefined,
    warn: (message: string) => void,
  ): KeyRing {
    if (!value || value.trim() === '') {
      if (nodeEnv === 'production') {
        throw new ConfigurationError({
          code: 'invalid_config',
          operation: 'config',
          message: Messages.encryptionKeysMissing(ENCRYPTION_KEYS_VARIABLE),
        });
      }
      warn(Messages.encryptionKeyEphemeral(ENCRYPTION_KEYS_VARIABLE));
      return KeyRing.ephemeral();
    }
    return new KeyRing(parseKeyList(value, ENCRYPTION_KEYS_VARIABLE));
  }

  /** A ring with one random key, valid for this process only. */
  static ephemeral(): KeyRing {
    return new KeyRing([randomBytes(32)]);
  }

  /** Ids of the keys, the encrypting one first. */
  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Encrypts with the first key. */
  encrypt(plaintext: string): string {
    const { id, key, aad } = this.primary;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${FORMAT}.${id}.${packed}`;
  }

  /**
   * Decrypts with the key the ciphertext names; throws {@link DecryptionError} otherwise. Every
   * store read of a session goes through here, so it allocates only the decoded bytes and the
   * decipher: no split, no per-call AAD, the plaintext decoded straight to a string.
   */
  decrypt(ciphertext: string): string {
    const keyStart = FORMAT.length + 1;
    const keyEnd = ciphertext.indexOf('.', keyStart);
    if (
      !ciphertext.startsWith(`${FORMAT}.`) ||
      keyEnd === -1 ||
      ciphertext.indexOf('.', keyEnd + 1) !== -1
    ) {
      throw new DecryptionError('malformed', 'The ciphertext is not in the a1 format');
    }
    const ring = this.byId.get(ciphertext.slice(keyStart, keyEnd));
    if (!ring)
      throw new DecryptionError('unknown_key', 'The ciphertext names a key not in the ring');
    const packed = Buffer.from(ciphertext.slice(keyEnd + 1), 'base64url');
    if (packed.length < IV_BYTES + TAG_BYTES) {
      throw new DecryptionError('malformed', 'The ciphertext is truncated');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', ring.key, packed.subarray(0, IV_BYTES));
      decipher.setAAD(ring.aad);
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const body = packed.subarray(IV_BYTES + TAG_BYTES);
      return decipher.update(body, undefined, 'utf8') + decipher.final('utf8');
    } catch {
      throw new DecryptionError('tampered', 'The ciphertext failed authentication');
    }
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256')
    .update('auth-code key id\0')
    .update(key)
    .digest('base64url')
    .slice(0, 8);
}

/** A ring key with its additional authenticated data, built once. */
interface SealingKey extends RingKey {
  aad: Buffer;
}

function aad(id: string): Buffer {
  return Buffer.from(`auth-code:${FORMAT}:${id}`, 'utf8');
}
