/** Summary of a set of latencies, in ms. */
export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of unsorted samples (`q` in 0..1). */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/** p50, p99 and max of `samples`. */
export function summarize(samples: number[]): LatencySummary {
  return {
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    max: Math.max(...samples),
  };
}

/** A duration for a table: one decimal below 10 ms, whole ms above. */
export function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

/** A ratio for a table, e.g. `3.2×`. */
export function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(1)}×`;
}
