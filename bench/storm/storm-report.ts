import { ms, percentile, summarize } from '../stats';

/** One row: a store, how many app processes share it, and whether waiters are woken by message. */
export interface StormConfig {
  store: 'memory' | 'redis' | 'postgres';
  processes: number;
  notify: 'on' | 'off';
}

/** What one configuration measured at one burst size, round by round. */
export interface StormResult {
  config: StormConfig;
  /** Requests per burst. */
  requests: number;
  /** Latencies of each recorded storm, ms. */
  storm: number[][];
  /** Latencies of each recorded fresh burst, ms. */
  fresh: number[][];
  /** Upstream refresh calls of each recorded storm. */
  callsPerStorm: number[];
  /** Answers other than 200, storms and fresh bursts. */
  failures: number;
}

/** What the table is judged against. */
export interface StormTarget {
  upstreamLatencyMs: number;
  slackMs: number;
}

/** The median over rounds of each round's p99: a few rounds disturbed by other load move it little. */
function medianRoundP99(rounds: number[][]): number {
  return percentile(
    rounds.map((r) => percentile(r, 0.99)),
    0.5,
  );
}

function callsCell(calls: number[]): string {
  const lo = Math.min(...calls);
  const hi = Math.max(...calls);
  const each = lo === hi ? `${lo} in each` : `${lo}–${hi}`;
  return `${each} (${calls.reduce((a, b) => a + b, 0)} in ${calls.length} storms)`;
}

/** The verdicts of a row: pooled p99 and median-round p99 against the target. */
function verdicts(r: StormResult, t: StormTarget): { pooled: boolean; median: boolean } {
  const limit = t.upstreamLatencyMs + t.slackMs;
  return {
    pooled: summarize(r.storm.flat()).p99 <= limit,
    median: medianRoundP99(r.storm) <= limit,
  };
}

const word = (ok: boolean) => (ok ? 'met' : 'not met');

/** The Markdown table of every row. */
export function stormTable(results: StormResult[], t: StormTarget): string {
  const rows = results.map((r) => {
    const storm = summarize(r.storm.flat());
    const fresh = summarize(r.fresh.flat());
    const v = verdicts(r, t);
    return [
      r.config.store,
      r.config.processes,
      r.config.store === 'memory' ? '— (one process)' : r.config.notify,
      `${r.requests} × ${r.storm.length}`,
      callsCell(r.callsPerStorm),
      ms(storm.p50),
      ms(storm.p99),
      ms(medianRoundP99(r.storm)),
      ms(fresh.p50),
      ms(fresh.p99),
      ms(medianRoundP99(r.fresh)),
      `${word(v.pooled)} / ${word(v.median)}`,
      r.failures,
    ].join(' | ');
  });
  const limit = `${t.upstreamLatencyMs} + ${t.slackMs} ms`;
  return [
    `| store | processes | notifier (\`AUTH_STORE_NOTIFY\`) | requests × rounds | upstream refresh calls per storm | storm p50 ms | storm p99 ms | storm p99 ms, median round | fresh p50 ms | fresh p99 ms | fresh p99 ms, median round | storm p99 ≤ ${limit} (all / median round) | non-200 |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** One line per multi-process row: the target, met or not. */
export function targetLines(results: StormResult[], t: StormTarget): string[] {
  return results
    .filter((r) => r.config.processes > 1)
    .map((r) => {
      const v = verdicts(r, t);
      const p99 = ms(summarize(r.storm.flat()).p99);
      const median = ms(medianRoundP99(r.storm));
      return `- ${r.config.store} × ${r.config.processes} processes, notifier ${r.config.notify}, ${r.requests} requests: storm p99 ${p99} ms (median round ${median} ms) — storm p99 ≤ upstream latency + ${t.slackMs} ms: **${word(v.pooled)}** (median round: **${word(v.median)}**)`;
    });
}
