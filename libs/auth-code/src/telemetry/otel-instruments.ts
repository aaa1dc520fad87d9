import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { TELEMETRY_METRICS as METRIC } from './telemetry-attributes';

/** Bucket bounds of the duration histograms, in seconds (OpenTelemetry's HTTP advice). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** Bucket bounds of the waiters histogram. */
const WAITER_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

/** The instruments every report goes to. */
export interface Instruments {
  /** Every operation, by provider, operation and outcome. */
  operations: Counter;
  /** Failed operations, by provider, operation and normalized code (`error.type`). */
  failures: Counter;
  /** How long operations take, in seconds. */
  duration: Histogram;
  /** Callers each refresh absorbed in this process. */
  waiters: Histogram;
  /** How long upstream HTTP calls take, in seconds (HTTP semantic conventions). */
  httpDuration: Histogram;
}

/** Creates the instruments on `meter`. */
export function createInstruments(meter: Meter): Instruments {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
  return {
    operations: meter.createCounter(METRIC.operations, {
      description: 'Operations (authorize, exchange, login, refresh, userinfo, revoke, api)',
      unit: '{operation}',
    }),
    failures: meter.createCounter(METRIC.failures, {
      description: 'Failed operations, by normalized error code (error.type)',
      unit: '{operation}',
    }),
    duration: meter.createHistogram(METRIC.duration, {
      description: 'Duration of operations',
      ...seconds,
    }),
    waiters: meter.createHistogram(METRIC.waiters, {
      description: 'Callers in this process that shared one refresh',
      unit: '{waiter}',
      advice: { explicitBucketBoundaries: WAITER_BUCKETS },
    }),
    httpDuration: meter.createHistogram(METRIC.httpDuration, {
      description: 'Duration of HTTP client requests to providers',
      ...seconds,
    }),
  };
}
