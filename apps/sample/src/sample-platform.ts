/** The HTTP platforms the sample runs on (`AUTH_PLATFORM`). */
export const SAMPLE_PLATFORMS = ['express', 'fastify'] as const;

/** One of {@link SAMPLE_PLATFORMS}. */
export type SamplePlatform = (typeof SAMPLE_PLATFORMS)[number];

/** Reads `AUTH_PLATFORM` (@default 'express'); anything else stops start-up with a clear message. */
export function samplePlatform(value: string | undefined): SamplePlatform {
  const platform = value === undefined || value === '' ? 'express' : value;
  if ((SAMPLE_PLATFORMS as readonly string[]).includes(platform)) return platform as SamplePlatform;
  throw new Error(
    `AUTH_PLATFORM must be one of ${SAMPLE_PLATFORMS.join(', ')} (got ${JSON.stringify(platform.slice(0, 40))})`,
  );
}
