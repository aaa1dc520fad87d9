import { redactTokenRuns } from '../../core/token-runs';

/** Longest text shown or logged; our messages are far shorter (untrusted parts are clipped). */
const MAX_SCRUBBED = 4096;

/**
 * Replaces token-like runs in a text shown to clients or logged: JWTs, and opaque runs of 32+
 * base64/base64url characters that contain a digit (access and refresh tokens, signed cookie
 * values, secrets) — URL paths such as `/openapi/platform/queryPowerStationList` stay readable.
 * Our messages never contain secrets (the engine removes the request's known secret values by
 * value); this is the last line of defence against a provider that echoes one into its error
 * message. Linear time: a hand-written scanner over at most 4 KB (issue 9, hole 1).
 */
export function scrubSecrets(text: string): string {
  return redactTokenRuns(text, { opaque: 'with-digit', limit: MAX_SCRUBBED });
}
