import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { Browser } from '../../test/support/browser';
import { login } from '../../test/support/login-flow';
import { isolarcloudFixture, type ProviderFixture } from '../../test/support/provider-fixtures';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { LoadGenerator } from '../load-generator';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import { ms, ratio, summarize } from '../stats';

const REQUESTS = 300;
const ROUNDS = 10;
const UPSTREAM_LATENCY_MS = 50;
const REDIS_URL = 'redis://127.0.0.1:6379';
/** Inside the 60 s skew: the stored token is due at the first request. */
const DUE_LIFETIME = 30;

/** One row: a store and a number of instances sharing it. */
interface StormConfig {
  store: 'memory' | 'redis';
  instances: number;
}

const CONFIGS: StormConfig[] = [
  { store: 'memory', instances: 1 },
  { store: 'redis', instances: 1 },
  { store: 'redis', instances: 3 },
];

/** What one configuration measured over all its rounds. */
interface StormResult {
  config: StormConfig;
  storm: number[];
  fresh: number[];
  refreshCalls: number;
  failures: number;
}

async function measure(
  fx: ProviderFixture<FakeIsolarcloud>,
  config: StormConfig,
  redis: Redis,
): Promise<StormResult> {
  const load = new LoadGenerator();
  const prefix = `bench:refresh-storm:${randomUUID().slice(0, 8)}:`;
  const apps: TestApp[] = [];
  for (let i = 0; i < config.instances; i++) {
    apps.push(
      await startTestApp({
        providers: [fx.definition],
        store: config.store === 'redis' ? REDIS_URL : 'memory',
        storeKeyPrefix: prefix,
      }),
    );
  }
  const result: StormResult = { config, storm: [], fresh: [], refreshCalls: 0, failures: 0 };
  const urls = apps.map((app) => `${app.url}/api/${fx.id}/token`);
  try {
    // round 0 warms up (JIT, keep-alive connections, Lua scripts) and is not recorded
    for (let round = 0; round <= ROUNDS; round++) {
      fx.fake.latencyMs = 0;
      fx.fake.tokenLifetimeSeconds = DUE_LIFETIME;
      const first = new Browser(apps[0].url);
      await login(first, fx.id, fx.fake);
      const cookie = [...first.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const burst = () => load.burst(urls, { cookie }, REQUESTS);
      fx.fake.tokenLifetimeSeconds = 3600;
      fx.fake.latencyMs = UPSTREAM_LATENCY_MS;
      const callsBefore = fx.fake.count('refresh');
      const storm = await burst();
      const calls = fx.fake.count('refresh') - callsBefore;
      const fresh = await burst();
      if (round === 0) continue;
      result.storm.push(...storm.map((s) => s.ms));
      result.fresh.push(...fresh.map((s) => s.ms));
      result.failures += [...storm, ...fresh].filter((s) => s.status !== 200).length;
      result.refreshCalls += calls;
    }
  } finally {
    await load.close();
    await Promise.all(apps.map((a) => a.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  return result;
}

function table(results: StormResult[]): string {
  const rows = results.map((r) => {
    const storm = summarize(r.storm);
    const fresh = summarize(r.fresh);
    const requests = REQUESTS * ROUNDS;
    return [
      r.config.store,
      r.config.instances,
      `${REQUESTS} × ${ROUNDS}`,
      `${r.refreshCalls} (1 per ${(requests / Math.max(1, r.refreshCalls)).toFixed(0)} requests)`,
      ms(storm.p50),
      ms(storm.p99),
      ms(fresh.p50),
      ms(fresh.p99),
      ratio(storm.p50, fresh.p50),
      ratio(storm.p99, fresh.p99),
      r.failures,
    ].join(' | ');
  });
  return [
    '| store | instances | requests × rounds | upstream refresh calls | storm p50 ms | storm p99 ms | fresh p50 ms | fresh p99 ms | p50 storm/fresh | p99 storm/fresh | non-200 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/**
 * Refresh storm: one session whose access token is due, {@link REQUESTS} concurrent token requests
 * spread over K instances. Counts upstream refresh calls (single-flight: one per storm) and the
 * requests' latency, against the same burst once the token is fresh.
 */
export const refreshStorm: BenchScenario = {
  name: 'refresh-storm',
  description: `${REQUESTS} concurrent token requests with a due token, over 1 or 3 instances, memory and Redis`,
  async run() {
    const fx = await isolarcloudFixture();
    const redis = new Redis(REDIS_URL);
    const results: StormResult[] = [];
    try {
      for (const config of CONFIGS) results.push(await measure(fx, config, redis));
    } finally {
      await fx.fake.stop();
      await redis.quit();
    }
    return [
      '## Refresh storm',
      '',
      machineLine(),
      '',
      `One logged-in session whose access token is due (expires within the 60 s skew); ${REQUESTS}`,
      '`GET /api/isolarcloud/token` fired at once, round-robin over the app instances; the fake',
      `iSolarCloud answers after ${UPSTREAM_LATENCY_MS} ms and rotates refresh tokens. ${ROUNDS} rounds per row`,
      '(a fresh login each, after one unrecorded warm-up round). "Fresh" is the same burst right',
      'after, when no refresh is due: the ratio is what the storm costs over a normal burst. The',
      'instances and the fake share one Node process (one event loop, unlike K separate pods); the load',
      'comes from a worker thread; Redis is the local one on 6379. Latency = time to the full answer.',
      '',
      table(results),
    ].join('\n');
  },
};
