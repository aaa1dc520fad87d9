/** Whether a checked part works: the two states `@nestjs/terminus` 11 and 12 both know. */
export type HealthStatus = 'up' | 'down';

/** One indicator's answer: its status and a few words about it, never a URL, key or secret. */
export interface AuthCodeHealthDetail {
  /** Up or down. */
  status: HealthStatus;
  /** Why it is down (`timeout`, `ECONNREFUSED`, `HTTP 503`, `provider_unavailable`). */
  reason?: string;
  /** Anything else the indicator says (the store's kind, each probe's status). */
  [field: string]: string | number | boolean | undefined;
}

/**
 * Indicator answers by key, in the shape terminus' `HealthIndicatorResult` has in versions 11
 * and 12: a health check function may return it as it is (`health.check([() => …])`). A part that
 * is down is *returned* as `down`, never thrown, which both versions count as a failed check (503).
 */
export type AuthCodeHealthResult = Record<string, AuthCodeHealthDetail>;

/** Rejection of {@link withinDeadline}. */
export class HealthDeadlineError extends Error {
  constructor() {
    super('timeout');
    this.name = 'HealthDeadlineError';
  }
}

/** `work`, or a {@link HealthDeadlineError} once `ms` have passed without its answer. */
export function withinDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthDeadlineError()), ms);
    timer.unref();
  });
  return Promise.race([Promise.resolve().then(work), deadline]).finally(() => clearTimeout(timer));
}
