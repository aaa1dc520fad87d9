import type { AuthCodeHealthOptions } from 'nestjs-auth-code';

/** Options of the sample app itself (not of the library). */
export interface SampleOptions {
  /** Demo mode is on: the providers are the bundled fakes (`main.ts` decides). @default false */
  demo?: boolean;
  /** Options of the checks behind `GET /health`. @default the indicator's (3 s timeout, 5 s interval) */
  health?: AuthCodeHealthOptions;
  /**
   * Seconds between two rounds of the iSolarCloud plant monitor (`SAMPLE_PLANT_MONITOR_SECONDS`);
   * 0 turns it off. @default 60
   */
  plantMonitorSeconds?: number;
}

/** Injection token of the {@link SampleOptions}. */
export const SAMPLE_OPTIONS = 'SAMPLE:OPTIONS';
