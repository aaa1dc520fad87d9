import type { IncomingHttpHeaders } from 'node:http';

/** `Sec-Fetch-Site` values of a request the app's own pages made (or the user typed). */
const OWN_SITE = new Set(['same-origin', 'none']);

/**
 * Whether a state-changing request comes from another site, by the headers browsers add: its
 * `Sec-Fetch-Site` is `cross-site` or `same-site` (another subdomain), or its `Origin` is not the
 * app's (an opaque `null` origin included). Without either header — old browsers, API clients —
 * the request is not judged here; SameSite=Lax cookies remain the first defence.
 * @param origin the app's public origin, lower-case, e.g. `https://app.example.com`; without it
 *   only `Sec-Fetch-Site` is judged
 */
export function isCrossSite(headers: IncomingHttpHeaders, origin?: string): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && !OWN_SITE.has(site.slice(0, 32).trim().toLowerCase())) {
    return true;
  }
  const from = headers.origin;
  if (origin === undefined || typeof from !== 'string') return false;
  return from.slice(0, 2048).trim().toLowerCase() !== origin;
}
