/** The mark appended where {@link clip} cut a text. */
export const CLIP_MARK = '…';

/**
 * Cuts text that a browser or an upstream controls to at most `max` characters (plus
 * {@link CLIP_MARK} when it was cut), so that nothing after it — a message, a pattern, a log
 * line — ever costs more than `max`. Never splits a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${CLIP_MARK}`;
}

/** {@link clip} for a value that may not be a string at all (`undefined` stays `undefined`). */
export function clipOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : clip(text, max);
}
