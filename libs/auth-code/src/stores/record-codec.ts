import type { Cipher } from '../tokens/crypto/cipher';
import type { TokenLogger } from '../core/token-logger';

/**
 * Serializes and encrypts a value for storage under `key`. The key name is sealed inside the
 * ciphertext, so a record copied to another key (another session) does not open there.
 */
export function sealRecord(cipher: Cipher, key: string, value: unknown): string {
  return cipher.encrypt(JSON.stringify({ k: key, v: value }));
}

/**
 * Decrypts and parses a stored record. Anything that does not open cleanly — tampered, truncated,
 * written under a retired key, moved from another key — reads as `undefined` (logged out) and is
 * reported as a warning that names only the kind of record, never its content.
 */
export function openRecord<T>(
  cipher: Cipher,
  key: string,
  stored: string,
  logger: TokenLogger,
): T | undefined {
  try {
    const parsed = JSON.parse(cipher.decrypt(stored)) as { k?: unknown; v?: unknown };
    if (parsed?.k !== key) throw new Error('record was stored under another key');
    return parsed.v as T;
  } catch (err) {
    const kind = key.slice(0, key.indexOf(':'));
    const reason = (err as { reason?: string }).reason ?? 'unreadable';
    logger.warn(
      `Ignoring a stored ${kind} record that cannot be decrypted (${reason}); treated as logged out`,
    );
    return undefined;
  }
}
