import { ConfigurationError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses a comma-separated key list. Each entry is 32 bytes encoded as hex (64 chars),
 * base64url without padding (43 chars) or base64 with padding (44 chars); surrounding spaces are
 * ignored. Errors name the variable and the 1-based position, never the value.
 */
export function parseKeyList(value: string, variable: string): Buffer[] {
  const entries = value.split(',').map((e) => e.trim());
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const key = decodeKey(entry, variable, i + 1);
    const hex = key.toString('hex');
    if (seen.has(hex)) fail(variable, i + 1, 'the same key is listed twice');
    seen.add(hex);
    return key;
  });
}

function decodeKey(entry: string, variable: string, position: number): Buffer {
  if (entry === '') fail(variable, position, 'it is empty');
  if (HEX.test(entry)) return Buffer.from(entry, 'hex');
  if (BASE64URL.test(entry)) return Buffer.from(entry, 'base64url');
  if (BASE64.test(entry)) return Buffer.from(entry, 'base64');
  return fail(
    variable,
    position,
    `it is ${entry.length} characters long or has invalid characters`,
  );
}

function fail(variable: string, position: number, why: string): never {
  throw new ConfigurationError({
    code: 'invalid_config',
    operation: 'config',
    message: Messages.encryptionKeyMalformed(variable, position, why),
  });
}
