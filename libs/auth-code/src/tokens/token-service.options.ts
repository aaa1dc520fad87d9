import { backoffDelay, type RetryPolicy } from './retry';
import type { GrantScope, ResolveUserKey } from './connections.types';

/** Options of the {@link TokenService}. */
export interface TokenServiceOptions {
  /** Refresh this long before the access token expires, in seconds. @default 60 */
  skewSeconds?: number;
  /** Up to this much random extra skew per check, in seconds, so sessions do not refresh in lockstep. @default 5 */
  jitterSeconds?: number;
  /** Lifetime of a session and its grants, in ms. @default 7 days */
  sessionTtlMs?: number;
  /** Retry policy of refresh calls (network errors, timeouts, 408, 429, 5xx only). */
  retry?: RetryPolicy;
  /**
   * TTL of the cross-instance refresh lock, in ms. Must outlast a refresh with all its retries.
   * @default upstream timeout × (retries + 1) + all backoff delays + 5 s
   */
  lockTtlMs?: number;
  /**
   * How long a caller that did not get the lock waits for the holder's result, in ms: woken by the
   * notifier when there is one (re-reading the store every 250 ms growing to 1 s in case a message
   * is lost), else polling the store (20 ms, growing to 250 ms).
   * @default lockTtlMs + 1 s (outlives a crashed holder's lock)
   */
  waitTimeoutMs?: number;
  /**
   * Who each provider's grants belong to: one scope for all, or per provider id (providers not
   * named: `session`). @default 'session'
   */
  grantScope?: GrantScope | Partial<Record<string, GrantScope>>;
  /** Who "the user" is at a login (account linking). @default the session's key, else `provider:id` */
  resolveUserKey?: ResolveUserKey;
  /** How long a connection (a user-scoped grant) is kept after its last write, ms. @default 400 days */
  connectionTtlMs?: number;
  /** Refresh a refresh token with a known expiry at most this long before it, ms. @default 3 days */
  refreshTokenMarginMs?: number;
  /** Clock, epoch ms (tests). @default Date.now */
  now?: () => number;
  /** Random source in [0, 1) for jitter (tests). @default Math.random */
  random?: () => number;
}

/** {@link TokenServiceOptions} with every default applied, durations in ms. */
export interface ResolvedTokenServiceOptions {
  /** Refresh skew. */
  skewMs: number;
  /** Most random extra skew. */
  jitterMs: number;
  /** Session and grant lifetime. */
  sessionTtlMs: number;
  /** Refresh retry policy. */
  retry: Required<RetryPolicy>;
  /** Refresh lock TTL. */
  lockTtlMs: number;
  /** Longest wait for another holder's refresh. */
  waitTimeoutMs: number;
  /** The scope of a provider's grants. */
  scopeOf: (provider: string) => GrantScope;
  /** Who the user is at a login. */
  resolveUserKey: ResolveUserKey;
  /** Connection lifetime after its last write. */
  connectionTtlMs: number;
  /** Most time before its expiry a refresh token is used. */
  refreshTokenMarginMs: number;
  /** Clock. */
  now: () => number;
  /** Random source. */
  random: () => number;
}

const defaultUserKey: ResolveUserKey = (profile, current) =>
  current?.userKey ?? `${profile.provider}:${profile.id}`;

/** Applies defaults; `upstreamTimeoutMs` is the engine's HTTP timeout. */
export function resolveTokenServiceOptions(
  o: TokenServiceOptions = {},
  upstreamTimeoutMs: number,
): ResolvedTokenServiceOptions {
  const retry: Required<RetryPolicy> = {
    retries: o.retry?.retries ?? 2,
    baseDelayMs: o.retry?.baseDelayMs ?? 200,
    maxDelayMs: o.retry?.maxDelayMs ?? 2000,
  };
  let backoff = 0;
  for (let i = 0; i < retry.retries; i++) {
    backoff += backoffDelay(retry, i);
  }
  const lockTtlMs = o.lockTtlMs ?? upstreamTimeoutMs * (retry.retries + 1) + backoff + 5000;
  return {
    skewMs: (o.skewSeconds ?? 60) * 1000,
    jitterMs: (o.jitterSeconds ?? 5) * 1000,
    sessionTtlMs: o.sessionTtlMs ?? 7 * 24 * 3600 * 1000,
    retry,
    lockTtlMs,
    waitTimeoutMs: o.waitTimeoutMs ?? lockTtlMs + 1000,
    scopeOf: scopeResolver(o.grantScope),
    resolveUserKey: o.resolveUserKey ?? defaultUserKey,
    connectionTtlMs: o.connectionTtlMs ?? 400 * 24 * 3600 * 1000,
    refreshTokenMarginMs: o.refreshTokenMarginMs ?? 3 * 24 * 3600 * 1000,
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  };
}

function scopeResolver(scope: TokenServiceOptions['grantScope']): (provider: string) => GrantScope {
  if (scope === undefined || typeof scope === 'string') {
    const all = scope ?? 'session';
    return () => all;
  }
  const map = new Map(Object.entries(scope));
  return (provider) => map.get(provider) ?? 'session';
}
