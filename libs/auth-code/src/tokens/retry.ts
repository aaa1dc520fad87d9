import { AuthCodeError, TransportError } from '../errors/auth-code.errors';

/** How a refresh is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = no retry). @default 2 */
  retries?: number;
  /** Delay before the first retry, in ms; doubles every retry. @default 200 */
  baseDelayMs?: number;
  /** Longest delay between attempts, in ms. @default 2000 */
  maxDelayMs?: number;
}

/** Controls of {@link withRetry}. */
export interface RetryControls<T> {
  /** The policy. */
  policy: Required<RetryPolicy>;
  /** Whether a failure may be retried. */
  retryable: (err: unknown) => boolean;
  /** Runs before every retry; a value it returns ends the loop as the result (no further call). */
  beforeRetry?: () => Promise<T | undefined>;
  /** Random source for jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /** Waits `ms` before a retry (tests record the delays here). @default a `setTimeout` promise */
  sleep?: (ms: number) => Promise<void>;
}

const timeout = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The delays of a policy, before jitter. */
export function backoffDelay(policy: Required<RetryPolicy>, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/**
 * Runs `attempt`, retrying retryable failures with exponential backoff and "equal jitter" (half the
 * delay fixed, half random) so instances that failed together do not retry together.
 */
export async function withRetry<T>(attempt: () => Promise<T>, c: RetryControls<T>): Promise<T> {
  const random = c.random ?? Math.random;
  const sleep = c.sleep ?? timeout;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      if (retry >= c.policy.retries || !c.retryable(err)) throw err;
      const delay = backoffDelay(c.policy, retry);
      await sleep(delay / 2 + (random() * delay) / 2);
      const settled = await c.beforeRetry?.();
      if (settled !== undefined) return settled;
    }
  }
}

/**
 * Whether a failed refresh may be retried: the provider was unreachable or timed out, or answered
 * 408, 429 or 5xx. A refusal (4xx, `invalid_grant`) is final.
 */
export function isRetryableRefreshError(err: unknown): boolean {
  if (err instanceof TransportError) return true;
  if (!(err instanceof AuthCodeError) || err.upstreamStatus === undefined) return false;
  const s = err.upstreamStatus;
  return s === 408 || s === 429 || s >= 500;
}
