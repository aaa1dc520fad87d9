import { KnownSecrets } from './known-secrets';
import { isUrlChar, REDACTED, redactTokenRuns } from './token-runs';

/** Longest redacted body kept in an error. */
const MAX_BODY = 2048;
/** Longest body parsed as JSON for field-by-field redaction; a longer one is redacted as text. */
const MAX_PARSED = 64 * 1024;
/** Longest key compared against the secret field names (only its end matters). */
const MAX_KEY_TAIL = 16;

const SECRET_NAMES = new Set(['code', 'password', 'authorization', 'cookie', 'nonce']);
const SECRET_SUFFIXES = ['token', 'secret', 'verifier', 'assertion', '_key'];

/**
 * Whether a field name holds a secret that is never shown, logged or kept in an error: `code`,
 * `password`, `authorization`, `cookie`, `nonce`, and any name ending in `token`, `secret`,
 * `verifier`, `assertion` or `_key` (case-insensitive). Constant time in the name's length.
 */
export function isSecretKey(key: string): boolean {
  const tail = (key.length > MAX_KEY_TAIL ? key.slice(-MAX_KEY_TAIL) : key).toLowerCase();
  if (key.length === tail.length && SECRET_NAMES.has(tail)) return true;
  return SECRET_SUFFIXES.some((s) => tail.endsWith(s));
}

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
        isSecretKey(k) && v !== null && typeof v !== 'object'
          ? REDACTED
          : redactValue(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && looksLikeJwt(value)) return REDACTED;
  return value;
}

/**
 * Redacts a raw upstream body for keeping in an error: the known secret values of the request go
 * first (whatever their length), then JSON is redacted field by field and anything else is
 * stripped of JWT-looking runs and long opaque strings; the result is at most ~2 KB. Linear in the
 * body's length, which is cut to 64 KB before anything looks at it.
 */
export function redactBody(text: string, secrets: KnownSecrets = KnownSecrets.none): string {
  const cut = text.length > MAX_PARSED;
  const window = secrets.redact(cut ? text.slice(0, MAX_PARSED) : text);
  let parsed: unknown;
  try {
    parsed = cut ? undefined : JSON.parse(window);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) return redactTokenRuns(window, { opaque: 'all', limit: MAX_BODY });
  const out = secrets.redact(JSON.stringify(redactValue(parsed)));
  return out.length > MAX_BODY ? `${out.slice(0, MAX_BODY)}…[truncated]` : out;
}

/** A whole string shaped like a compact JWT (three base64url segments, 40+ characters). */
function looksLikeJwt(value: string): boolean {
  if (value.length <= 40) return false;
  let dots = 0;
  let segment = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) {
      if (segment === 0 || ++dots > 2) return false;
      segment = 0;
    } else if (isUrlChar(c)) {
      segment++;
    } else {
      return false;
    }
  }
  return dots === 2;
}
