import { JWT_RUN, OPAQUE_RUN } from '../../core/redact';

/**
 * Replaces token-like runs in a text shown to clients or logged: JWTs, and opaque runs of 32+
 * base64/base64url characters that contain a digit (access and refresh tokens, signed cookie
 * values, secrets) — URL paths such as `/openapi/platform/queryPowerStationList` stay readable.
 * Our messages never contain secrets; this is the last line of defence against a provider that
 * echoes one into its error message.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(JWT_RUN, '[redacted]')
    .replace(OPAQUE_RUN, (run) => (/\d/.test(run) && !run.startsWith('/') ? '[redacted]' : run));
}
