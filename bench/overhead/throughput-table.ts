import type { ThroughputPlan, VariantThroughput } from './throughput';

/** Median of unsorted values (mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The measured figures of one variant by name; throws when it was not measured. */
export function medianOf(results: VariantThroughput[], name: string): number {
  const found = results.find((r) => r.variant.name === name);
  if (!found) throw new Error(`variant ${name} was not measured`);
  return median(found.runs);
}

/** The median server CPU µs per request of one variant by name. */
export function cpuOf(results: VariantThroughput[], name: string): number {
  const found = results.find((r) => r.variant.name === name);
  if (!found) throw new Error(`variant ${name} was not measured`);
  return median(found.cpu);
}

/** `0.93×` */
export function times(value: number): string {
  return `${value.toFixed(2)}×`;
}

/**
 * Markdown table: req/s min / median / max of the runs, the run-to-run spread, each variant's
 * median over the median of `base` (and over `second`, when given: e.g. the no-op interceptor),
 * and the server's median CPU time per request with its difference to `base`.
 */
export function throughputTable(
  results: VariantThroughput[],
  base: string,
  second?: { name: string; header: string },
): string {
  const baseMedian = medianOf(results, base);
  const baseCpu = cpuOf(results, base);
  const secondMedian = second ? medianOf(results, second.name) : undefined;
  const rows = results.map((r) => {
    const m = median(r.runs);
    const spread = ((Math.max(...r.runs) - Math.min(...r.runs)) / m) * 100;
    return [
      r.variant.label,
      r.variant.work,
      Math.min(...r.runs).toFixed(0),
      m.toFixed(0),
      Math.max(...r.runs).toFixed(0),
      `${spread.toFixed(0)} %`,
      times(m / baseMedian),
      ...(secondMedian === undefined ? [] : [times(m / secondMedian)]),
      median(r.cpu).toFixed(0),
      signed(median(r.cpu) - baseCpu),
    ];
  });
  const header = [
    'variant',
    'per request',
    'req/s min',
    'req/s median',
    'req/s max',
    'spread (max−min)/median',
    `× ${base} (median)`,
    ...(second ? [second.header] : []),
    'server CPU µs/request (median)',
    `CPU µs vs ${base}`,
  ];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** `+12` / `−3` */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)}`;
}

/** One line of method: connections, warm-up, rounds × seconds, interleaving. */
export function methodLine(plan: ThroughputPlan): string {
  return (
    `autocannon, ${plan.connections} keep-alive connections, \`GET /hello\` (\`{"hello":"world"}\`). ` +
    `Each variant is a real Nest 11 (express) app in its own child process; autocannon runs in the ` +
    `parent. After a ${plan.warmupSeconds} s warm-up per variant, ${plan.rounds} rounds of ` +
    `${plan.seconds} s per variant, interleaved (every round runs each variant once, the order ` +
    `rotated by one per round). Every run must answer 100 % 2xx; before measuring, each server is ` +
    `checked to answer 200 with the session cookie and its guard's refusal without it. Ratios are ` +
    `median over median. "Server CPU µs/request" is the server process's user + system CPU time ` +
    `during a run divided by its answers (median of the runs): it moves less than req/s when other ` +
    `work shares the machine, and says what each layer costs per request.`
  );
}

/** `target (≥ 0.95× bare): met / NOT met (0.91×)`. */
export function targetLine(label: string, ok: boolean, measured: string): string {
  return `- ${label}: ${ok ? '**met**' : '**not met**'} (${measured})`;
}
