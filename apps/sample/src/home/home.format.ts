/** Escapes a value for HTML text and attribute values (`&<>"'`). Every value the page shows goes through it. */
export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ECMA-262 21.4.1.1: a Date holds at most 8.64e15 ms either side of the epoch.
const MAX_DATE_MS = 8.64e15;

/**
 * An epoch-ms time as ISO 8601, or '' when it is not one a `Date` can hold: a grant stored before
 * expiry clamping (or by another writer) may carry 1e23, Infinity (stored as null) or NaN, and the
 * page must still render (`toISOString()` throws a RangeError on those).
 */
export function isoTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_DATE_MS) return '';
  return new Date(ms).toISOString();
}

/** A time of day, `HH:MM:SS UTC`, from {@link isoTime}'s answer ('' stays ''). */
export function clockTime(iso: string): string {
  return iso ? `${iso.slice(11, 19)} UTC` : '';
}

/**
 * Time left as the panel's countdown shows it: `in 1 h 02 min 05 s`, `in 4 min 03 s`, `in 09 s`,
 * `expired`. The page's script renders the same text every second (`COUNTDOWN_JS`).
 */
export function countdown(ms: number): string {
  if (!(ms > 0)) return 'expired';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return `in ${h ? `${h} h ${two(m)} min ` : m ? `${m} min ` : ''}${two(s % 60)} s`;
}

/** {@link countdown} in the browser's JavaScript (the same text). */
export const COUNTDOWN_JS = `(ms) => {
  if (!(ms > 0)) return 'expired';
  const s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  const two = (n) => String(n).padStart(2, '0');
  return 'in ' + (h ? h + ' h ' + two(m) + ' min ' : m ? m + ' min ' : '') + two(s % 60) + ' s';
}`;
