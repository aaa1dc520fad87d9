/** The default of `SAMPLE_PLANT_MONITOR_SECONDS`. */
export const DEFAULT_PLANT_MONITOR_SECONDS = 60;

/** The largest `SAMPLE_PLANT_MONITOR_SECONDS` (a day). */
const MAX_PLANT_MONITOR_SECONDS = 86_400;

/**
 * Reads `SAMPLE_PLANT_MONITOR_SECONDS`: whole seconds between two plant monitor rounds, 0 = off
 * (@default 60). Anything else stops start-up with one line naming the variable.
 */
export function plantMonitorSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PLANT_MONITOR_SECONDS;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n <= MAX_PLANT_MONITOR_SECONDS) return n;
  throw new Error(
    `SAMPLE_PLANT_MONITOR_SECONDS must be a whole number of seconds from 0 (off) to ${MAX_PLANT_MONITOR_SECONDS} (got ${JSON.stringify(value.slice(0, 40))})`,
  );
}
