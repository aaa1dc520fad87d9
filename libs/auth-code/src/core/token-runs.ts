/**
 * A hand-written, single-pass scanner for token-looking runs in untrusted text. It replaces the
 * regular expressions `[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}` (JWTs) and
 * `[A-Za-z0-9_\-+/=]{32,}` (opaque tokens), which backtrack quadratically on a long run without
 * dots and overflow the regexp stack on megabytes (issue 9, hole 1). Every character is looked at
 * a constant number of times, and the text is cut to `limit` characters before anything else.
 */

/** The replacement of every redacted run. */
export const REDACTED = '[redacted]';

/** Which opaque runs (32+ base64/base64url characters) are redacted. */
export type OpaqueRunPolicy =
  /** every one (raw upstream bodies) */
  | 'all'
  /** those with a digit that do not start with `/` (messages: URL paths stay readable) */
  | 'with-digit';

/** Options of {@link redactTokenRuns}. */
export interface TokenRunOptions {
  /** Which opaque runs go. */
  opaque: OpaqueRunPolicy;
  /** Characters scanned; the rest is cut off first and `…[truncated]` appended. */
  limit: number;
}

const MIN_JWT_SEGMENT = 8;
const MIN_OPAQUE_RUN = 32;
// A run that the cut ends may be the start of a longer token: redact it from this length on.
const MIN_CUT_RUN = 8;
const DOT = 0x2e;

/** `[A-Za-z0-9_-]`: a base64url character. */
export function isUrlChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2d
  );
}

/** `[A-Za-z0-9_\-+/=]`: a base64 or base64url character. */
function isTokenChar(c: number): boolean {
  return isUrlChar(c) || c === 0x2b || c === 0x2f || c === 0x3d;
}

/**
 * Replaces JWT-looking runs (three or more dot-separated base64url segments of 8+ characters) and
 * opaque token runs by {@link REDACTED}, in time linear in `min(text.length, limit)`.
 */
export function redactTokenRuns(text: string, options: TokenRunOptions): string {
  const cut = text.length > options.limit;
  const scanned = cut ? text.slice(0, options.limit) : text;
  const out = redactOpaqueRuns(redactJwtRuns(scanned), options.opaque, cut);
  return cut ? `${out}…[truncated]` : out;
}

/** Pass 1: stretches of 3+ consecutive dot-separated segments of 8+ base64url characters. */
function redactJwtRuns(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isUrlChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // A segment starts at i; extend a stretch of long segments joined by single dots.
    const stretchStart = i;
    let segments = 0;
    let stretchEnd = i;
    let j = i;
    for (;;) {
      const segStart = j;
      while (j < text.length && isUrlChar(text.charCodeAt(j))) j++;
      if (j - segStart < MIN_JWT_SEGMENT) break;
      segments++;
      stretchEnd = j;
      if (j >= text.length || text.charCodeAt(j) !== DOT) break;
      if (j + 1 >= text.length || !isUrlChar(text.charCodeAt(j + 1))) break;
      j++;
    }
    if (segments >= 3) {
      parts.push(text.slice(copied, stretchStart), REDACTED);
      copied = stretchEnd;
      i = stretchEnd;
    } else {
      // Restart after the first segment (a later segment may begin a stretch of its own).
      let k = stretchStart;
      while (k < text.length && isUrlChar(text.charCodeAt(k))) k++;
      i = k;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Pass 2: maximal runs of 32+ base64/base64url characters, by policy. */
function redactOpaqueRuns(text: string, policy: OpaqueRunPolicy, cut: boolean): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isTokenChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (!isTokenChar(c)) break;
      if (c >= 0x30 && c <= 0x39) digit = true;
      i++;
    }
    const length = i - start;
    const atCut = cut && i === text.length && length >= MIN_CUT_RUN;
    const qualifies =
      length >= MIN_OPAQUE_RUN && (policy === 'all' || (digit && text.charCodeAt(start) !== 0x2f));
    if (atCut || qualifies) {
      parts.push(text.slice(copied, start), REDACTED);
      copied = i;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}
