import { parseObject } from './json';

/**
 * Reads a JWT's payload WITHOUT verifying it. Only for non-security uses such as reading `exp` to
 * learn a token's lifetime; id_tokens are verified elsewhere.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  return parseObject(Buffer.from(parts[1], 'base64url').toString('utf8'));
}
