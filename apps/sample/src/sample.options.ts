/** Options of the sample app itself (not of the library). */
export interface SampleOptions {
  /** Demo mode is on: the providers are the bundled fakes (`main.ts` decides). @default false */
  demo?: boolean;
}

/** Injection token of the {@link SampleOptions}. */
export const SAMPLE_OPTIONS = 'SAMPLE:OPTIONS';
