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

/** Reads a value at a dotted path (`result_data.access_token`). */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
