import { loadavg } from 'node:os';
import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { Browser } from '../../test/support/browser';
import { login } from '../../test/support/login-flow';
import { PostgresDatabase } from '../../test/support/postgres-database';
import { isolarcloudFixture, type ProviderFixture } from '../../test/support/provider-fixtures';
import { RedisProcess } from '../../test/support/redis-process';
import { SampleProcess, startSampleProcesses } from '../../test/support/sample-processes';
import { TEST_BASE_URL } from '../../test/support/test-app';
import { LoadGenerator } from '../load-generator';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import {
  stormTable,
  targetLines,
  type StormConfig,
  type StormResult,
  type StormTarget,
} from '../storm/storm-report';

/**
 * Burst sizes: a small one, whose fresh burst costs the apps little (so the storm's latency is
 * mostly the wait for the refresh), and a large one (the apps' own queueing dominates).
 */
const BURSTS = [30, 300];
const ROUNDS = 30;
const UPSTREAM_LATENCY_MS = 50;
/** Issue 11's target: a storm's p99 at most this much above the upstream latency. */
const TARGET_SLACK_MS = 20;
/** Inside the 60 s skew: the stored token is due at the first request. */
const DUE_LIFETIME = 30;

const CONFIGS: StormConfig[] = [
  { store: 'memory', processes: 1, notify: 'on' },
  { store: 'redis', processes: 3, notify: 'on' },
  { store: 'redis', processes: 3, notify: 'off' },
  { store: 'postgres', processes: 3, notify: 'on' },
  { store: 'postgres', processes: 3, notify: 'off' },
];
const TARGET: StormTarget = { upstreamLatencyMs: UPSTREAM_LATENCY_MS, slackMs: TARGET_SLACK_MS };

/** A configuration's running processes and what it measured so far at one burst size. */
interface Row {
  result: StormResult;
  apps: SampleProcess[];
}

/** Where the shared stores are: a private redis-server and a throwaway PostgreSQL database. */
interface Stores {
  redis: RedisProcess;
  postgres: PostgresDatabase;
}

/** The sample app's environment for one configuration: everything by variable, as in a pod. */
function environment(
  fx: ProviderFixture<FakeIsolarcloud>,
  config: StormConfig,
  stores: Stores,
): Record<string, string> {
  const store = {
    memory: 'memory',
    redis: stores.redis.url,
    postgres: stores.postgres.url,
  }[config.store];
  const gateway = fx.fake.url;
  return {
    AUTH_BASE_URL: TEST_BASE_URL,
    AUTH_SESSION_SECRET: 'bench-refresh-storm-session-secret-0123456789',
    AUTH_ENCRYPTION_KEYS: Buffer.alloc(32, 11).toString('base64'),
    AUTH_DEMO: 'off',
    AUTH_RATE_LIMIT: '1000000000',
    AUTH_STORE: store,
    AUTH_STORE_NOTIFY: config.notify,
    // each PostgreSQL row in its own schema (its own tables and channel)
    AUTH_STORE_SCHEMA: `storm_${config.notify}`,
    ISOLARCLOUD_APP_KEY: fx.fake.appKey,
    ISOLARCLOUD_SECRET_KEY: fx.fake.secretKey,
    ISOLARCLOUD_APPLICATION_ID: fx.fake.applicationId,
    ISOLARCLOUD_GATEWAY_URL: gateway,
    ISOLARCLOUD_LOGIN_URL: gateway,
    ISOLARCLOUD_REDIRECT_URI: fx.redirectUri,
  };
}

/** One storm and one fresh burst on a new login, spread round-robin over the row's processes. */
async function measureOnce(
  fx: ProviderFixture<FakeIsolarcloud>,
  row: Row,
  load: LoadGenerator,
  record: boolean,
): Promise<void> {
  fx.fake.latencyMs = 0;
  fx.fake.tokenLifetimeSeconds = DUE_LIFETIME;
  const first = new Browser(row.apps[0].url);
  await login(first, fx.id, fx.fake);
  const cookie = [...first.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const urls = row.apps.map((app) => `${app.url}/api/${fx.id}/token`);
  fx.fake.tokenLifetimeSeconds = 3600;
  fx.fake.latencyMs = UPSTREAM_LATENCY_MS;
  const callsBefore = fx.fake.count('refresh');
  const requests = row.result.requests;
  // the same burst without a session first (401 at once, no store read): the storm then starts
  // on open keep-alive connections, as the fresh burst after it does
  await load.burst(urls, {}, requests);
  const storm = await load.burst(urls, { cookie }, requests);
  const calls = fx.fake.count('refresh') - callsBefore;
  const fresh = await load.burst(urls, { cookie }, requests);
  if (!record) return;
  const { result } = row;
  result.storm.push(storm.map((s) => s.ms));
  result.fresh.push(fresh.map((s) => s.ms));
  result.failures += [...storm, ...fresh].filter((s) => s.status !== 200).length;
  result.callsPerStorm.push(calls);
}

function loadAverage(): string {
  return loadavg()[0].toFixed(1);
}

async function startRows(fx: ProviderFixture<FakeIsolarcloud>, stores: Stores): Promise<Row[]> {
  const rows: Row[] = [];
  for (const config of CONFIGS) {
    const env = environment(fx, config, stores);
    // started together: the PostgreSQL migration runs once, under its advisory lock
    const apps = await startSampleProcesses(config.processes, () => env);
    for (const requests of BURSTS) {
      rows.push({
        apps,
        result: { config, requests, storm: [], fresh: [], callsPerStorm: [], failures: 0 },
      });
    }
  }
  return rows;
}

/**
 * Refresh storm: one session whose access token is due, {@link BURSTS} concurrent token
 * requests spread over K sample-app processes sharing a store. Counts upstream refresh calls per
 * storm (one: the lock and the versioned write) and the requests' latency, against the same burst
 * once the token is fresh; with and without the store notifier.
 */
export const refreshStorm: BenchScenario = {
  name: 'refresh-storm',
  description: `${BURSTS.join(' or ')} concurrent token requests with a due token over 3 app processes (Redis, PostgreSQL; notifier on/off) and 1 (memory)`,
  async run() {
    const fx = await isolarcloudFixture();
    const stores: Stores = {
      redis: await RedisProcess.start(),
      postgres: await PostgresDatabase.create(),
    };
    const load = new LoadGenerator();
    const loadBefore = loadAverage();
    let rows: Row[] = [];
    try {
      rows = await startRows(fx, stores);
      // round 0 warms up (JIT, keep-alive connections, scripts) and is not recorded; the rows
      // take turns within each round, the order rotated by one per round
      for (let round = 0; round <= ROUNDS; round++) {
        for (let i = 0; i < rows.length; i++) {
          await measureOnce(fx, rows[(round + i) % rows.length], load, round > 0);
        }
      }
    } finally {
      await load.close();
      const apps = new Set(rows.flatMap((row) => row.apps));
      await Promise.all([...apps].map((app) => app.stop()));
      await fx.fake.stop();
      await stores.redis.dispose();
      await stores.postgres.drop();
    }
    const results = rows.map((row) => row.result);
    return [
      '## Refresh storm',
      '',
      machineLine(),
      `Load average (1 min) before / after: ${loadBefore} / ${loadAverage()} — the machine is shared with other runs.`,
      '',
      `One logged-in session whose access token is due (expires within the 60 s skew); ${BURSTS.join(' or ')}`,
      '`GET /api/isolarcloud/token` fired at once, round-robin over the app processes; the fake',
      `iSolarCloud (in the bench's own process) answers after ${UPSTREAM_LATENCY_MS} ms and rotates refresh tokens.`,
      'Each app is the built sample (`main.js` as `npm start` runs it; `npm run build` first) in a',
      'child process of its own, configured only by environment variables (`AUTH_STORE`,',
      '`AUTH_STORE_NOTIFY`, …): K real processes, each',
      'with its own event loop and store connections and, notifier on, one subscriber connection',
      '(Redis pub/sub) or listening client (PostgreSQL `LISTEN`). Redis is a private `redis-server`,',
      'PostgreSQL a throwaway database on the local server (one schema per row). All rows run at once',
      `and take turns: ${ROUNDS} rounds after one unrecorded warm-up round, each row and burst size once`,
      'per round, the order rotated by one per round. Each storm has a fresh login, and the same burst',
      'without a cookie just before it (401 from the guard), so that the storm starts on open',
      'keep-alive connections as the fresh burst does. "Fresh" is the same burst right after the',
      'storm, when no refresh is due. The load comes from a worker thread of the bench process; apps,',
      'fake, load, Redis and PostgreSQL share the cores named above. Latency = time to the full answer.',
      '"Median round": the p99 of each round, median over the rounds (robust to a few rounds that',
      'other work on the machine disturbed); the plain p99 pools every request of every round.',
      '',
      stormTable(results, TARGET),
      '',
      `Target (issue 11): storm p99 ≤ upstream latency + ${TARGET_SLACK_MS} ms with 3 processes and the notifier on.`,
      'Every request of a storm waits for the one refresh, so a storm can never beat the upstream',
      `latency (${UPSTREAM_LATENCY_MS} ms); what it adds on top is the wait for the news plus the burst's own queueing`,
      '(the "fresh" columns).',
      ...targetLines(results, TARGET),
    ].join('\n');
  },
};
