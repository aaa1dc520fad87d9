import {
  gzipBomb,
  json,
  text,
  type HostileUpstream,
  type UpstreamAnswer,
} from './hostile-upstream';

/** One hostile request: how to make it against an app, given the upstream. */
export interface HostileInput {
  /** Input class, as the table names it. */
  name: string;
  /** Size of the hostile part, bytes. */
  bytes: number;
  /** Prepares the upstream (for the classes that come from it). */
  prepare?(upstream: HostileUpstream): Promise<void> | void;
  /**
   * What to request: the route classes are one request; the upstream classes need a login started
   * first (its cookie and callback URL), and the measured request is the callback.
   */
  kind: 'request' | 'callback';
  /** Path (for `request`) and request headers. */
  path?: (bytes: number) => string;
  headers?: (bytes: number) => Record<string, string>;
}

const letters = (n: number) => 'a'.repeat(n);
const answerFor = (make: () => UpstreamAnswer | Promise<UpstreamAnswer>) => {
  let cached: UpstreamAnswer | undefined;
  return async (upstream: HostileUpstream) => {
    cached ??= await make();
    upstream.answer = cached;
  };
};

/** The sizes the issue asks for, plus the issue's own 12,000-letter provider id. */
export const SIZES = [1024, 16 * 1024, 1024 * 1024];

/** Every input class at every size. */
export function hostileInputs(): HostileInput[] {
  const out: HostileInput[] = [
    {
      name: 'baseline: callback, upstream answers a small JSON error',
      bytes: 0,
      kind: 'callback',
      prepare: answerFor(() => json(400, { error: 'invalid_grant' })),
    },
  ];
  for (const bytes of [1024, 12_000, 16 * 1024, 1024 * 1024]) {
    out.push({
      name: 'provider id in the route (`GET /auth/<id>/login`)',
      bytes,
      kind: 'request',
      path: (n) => `/auth/${letters(n)}/login`,
    });
  }
  const perSize: Array<(bytes: number) => HostileInput> = [
    (bytes) => ({
      name: 'callback params (`error_description`, `state`)',
      bytes,
      kind: 'request',
      path: (n) =>
        `/auth/hostile/callback?state=${letters(Math.min(n, 600))}&error=access_denied&error_description=${letters(n)}`,
    }),
    (bytes) => ({
      name: 'session cookie (`GET /`)',
      bytes,
      kind: 'request',
      path: () => '/',
      headers: (n) => ({ cookie: `auth_session=${letters(n)}`, accept: 'text/html' }),
    }),
    (bytes) => ({
      name: 'upstream body of letters (200 text/plain)',
      bytes,
      kind: 'callback',
      prepare: answerFor(() => text(200, letters(bytes))),
    }),
    (bytes) => ({
      name: 'upstream JSON with a long `error_description` (400)',
      bytes,
      kind: 'callback',
      prepare: answerFor(() =>
        json(400, { error: 'invalid_grant', error_description: letters(bytes) }),
      ),
    }),
    (bytes) => ({
      name: 'gzip bomb (size = compressed; ×1030 inflated)',
      bytes,
      kind: 'callback',
      prepare: answerFor(() => gzipBomb(bytes)),
    }),
  ];
  for (const make of perSize) for (const bytes of SIZES) out.push(make(bytes));
  return out;
}
