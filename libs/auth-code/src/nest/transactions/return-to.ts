// Control characters (C0 and DEL) and backslashes: browsers strip or reinterpret them.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f\\]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Keeps `returnTo` to same-origin relative paths: `/path?query#hash`. Everything else — absolute
 * URLs, protocol-relative `//host`, backslash tricks `/\host`, encoded slashes, control characters,
 * `javascript:` — becomes `/` (no open redirect, SECURITY.md row 7).
 */
export function safeReturnTo(input: unknown, fallback = '/'): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) return fallback;
  if (!input.startsWith('/') || input.startsWith('//')) return fallback;
  if (UNSAFE.test(input)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(input);
  } catch {
    return fallback;
  }
  if (decoded.startsWith('//') || /^\/[\\\s]/.test(decoded) || CONTROL.test(decoded)) {
    return fallback;
  }
  // Resolving against a fixed origin must not change the origin.
  const resolved = new URL(input, 'http://same.origin');
  return resolved.origin === 'http://same.origin' ? input : fallback;
}
