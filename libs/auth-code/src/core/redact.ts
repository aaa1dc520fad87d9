/** Field names whose values are secrets and are never shown, logged or kept in an error. */
const SECRET_KEYS =
  /^(code|password|authorization|cookie|nonce|.*token|.*secret|.*verifier|.*assertion|.*_key)$/i;

const MAX_BODY = 2048;

/** A JWT-looking run: three dot-separated base64url segments (global: for `replace`). */
export const JWT_RUN = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/** An opaque token-looking run of 32+ base64/base64url characters (global: for `replace`). */
export const OPAQUE_RUN = /[A-Za-z0-9_\-+/=]{32,}/g;

/**
 * Returns a copy of a parsed JSON value with every secret-looking field replaced by `[redacted]`.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEYS.test(k) && v !== null && typeof v !== 'object'
          ? '[redacted]'
          : redactValue(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && looksLikeJwt(value)) return '[redacted]';
  return value;
}

/**
 * Redacts a raw upstream body for keeping in an error: JSON is redacted field by field, anything
 * else is stripped of JWT-looking runs and long opaque strings, then truncated.
 */
export function redactBody(text: string): string {
  let out: string;
  try {
    out = JSON.stringify(redactValue(JSON.parse(text)));
  } catch {
    out = text.replace(JWT_RUN, '[redacted]').replace(OPAQUE_RUN, '[redacted]');
  }
  return out.length > MAX_BODY ? `${out.slice(0, MAX_BODY)}…[truncated]` : out;
}

function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value) && value.length > 40;
}
