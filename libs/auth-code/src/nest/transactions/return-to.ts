/**
 * Keeps `returnTo` to same-origin relative paths: `/path?query#hash`. Everything else — absolute
 * URLs, protocol-relative `//host`, backslash tricks `/\host`, encoded slashes, control characters,
 * `javascript:` — becomes `/` (no open redirect, SECURITY.md row 7).
 */
export function safeReturnTo(input: unknown, fallback = '/'): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) return fallback;
  if (!input.startsWith('/') || input.startsWith('//')) return fallback;
  // Browsers strip tabs/newlines and treat '\' as '/': reject them outright.
  if (/[\u0000-\u001f\u007f\\]/.test(input)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(input);
  } catch {
    return fallback;
  }
  if (decoded.startsWith('//') || /^\/[\\\s]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) {
    return fallback;
  }
  // Resolving against a fixed origin must not change the origin.
  const resolved = new URL(input, 'http://same.origin');
  return resolved.origin === 'http://same.origin' ? input : fallback;
}
