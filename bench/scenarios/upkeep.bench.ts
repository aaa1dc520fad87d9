import { Redis } from 'ioredis';
import {
  connectionsId,
  PostgresTokenLock,
  PostgresTokenStore,
  RedisTokenLock,
  RedisTokenStore,
  type TokenLock,
  type TokenStore,
} from 'nestjs-auth-code';
import { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { Client } from 'pg';
import { PostgresDatabase } from '../../test/support/postgres-database';
import { RedisProcess } from '../../test/support/redis-process';
import { freePort, SampleProcess } from '../../test/support/sample-processes';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import { benchKeys, seedConnections } from '../upkeep/seed-connections';

const GRANTS = Number(process.env.BENCH_UPKEEP_GRANTS ?? 10_000);
const PROCESSES = 3;
const INTERVAL_SECONDS = 5;
/** Wave 1's new tokens are due this long after their refresh (lifetime − the 60 s skew). */
const WAVE_GAP_SECONDS = 30;

/** A backend the seeding and the app processes share, with a count of its round trips. */
interface Backend {
  name: string;
  url: string;
  store: TokenStore;
  lock: TokenLock;
  /** Requests the backend has answered so far (PostgreSQL transactions, Redis commands). */
  roundTrips(): Promise<number>;
  stop(): Promise<void>;
}

async function postgres(): Promise<Backend> {
  const db = await PostgresDatabase.create();
  const store = new PostgresTokenStore({ postgres: db.url, cipher: benchKeys().ring });
  await store.migrate();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    name: 'PostgreSQL',
    url: db.url,
    store,
    lock: new PostgresTokenLock({ postgres: store.pool, ...store.naming }),
    async roundTrips() {
      // the statistics are flushed at most once a second per backend
      await new Promise((r) => setTimeout(r, 1500));
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ n: string }>(
        'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
      );
      return Number(rows[0].n);
    },
    async stop() {
      await client.end();
      await store.close();
      await db.drop();
    },
  };
}

async function redis(): Promise<Backend> {
  const server = await RedisProcess.start();
  const store = new RedisTokenStore({ redis: server.url, cipher: benchKeys().ring });
  const admin = new Redis(server.url);
  return {
    name: 'Redis',
    url: server.url,
    store,
    lock: new RedisTokenLock({ redis: store.client }),
    async roundTrips() {
      const info = await admin.info('commandstats');
      const calls = [...info.matchAll(/calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      return calls;
    },
    async stop() {
      admin.disconnect();
      await store.close();
      await server.stop();
    },
  };
}

/** What one wave measured. */
interface Wave {
  drainMs: number;
  refreshes: number;
  cpuMicros: number;
  roundTrips: number;
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`upkeep bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now();
}

/** Every grant's version: 1 after the login, +1 per refresh. */
async function versions(store: TokenStore): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (let i = 0; i < GRANTS; i++) {
    const grant = await store.getGrant(connectionsId(`isolarcloud:${100_000 + i}`), 'isolarcloud');
    const v = grant?.version ?? 0;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

async function measure(backend: Backend): Promise<{ waves: Wave[]; versions: string[] }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fake = new FakeIsolarcloud({ redirectUri: `${base}/auth/isolarcloud/callback` });
  await fake.start();
  const apps: SampleProcess[] = [];
  try {
    fake.tokenLifetimeSeconds = 30; // inside the skew: every grant is due when the apps start
    await seedConnections(
      fake,
      `${base}/auth/isolarcloud/callback`,
      backend.store,
      backend.lock,
      GRANTS,
    );
    fake.reset();
    fake.tokenLifetimeSeconds = 60 + WAVE_GAP_SECONDS;
    const env = {
      ...fake.environment(),
      AUTH_BASE_URL: base,
      AUTH_DEMO: 'off',
      AUTH_STORE: backend.url,
      AUTH_SESSION_SECRET: 'upkeep-bench-session-secret-0123456789',
      AUTH_ENCRYPTION_KEYS: benchKeys().env,
      AUTH_GRANT_SCOPE: 'user',
      AUTH_UPKEEP: 'on',
      AUTH_UPKEEP_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      SAMPLE_PLANT_MONITOR_SECONDS: '0',
    };
    const ports = [port, ...(await Promise.all([1, 2].map(() => freePort())))];
    apps.push(...ports.slice(0, PROCESSES).map((p) => new SampleProcess(p, env)));
    const waves: Wave[] = [];
    let trips = await backend.roundTrips();
    let cpu = 0;
    await Promise.all(apps.map((a) => a.start()));
    cpu = apps.reduce((n, a) => n + a.cpuMicros(), 0);
    for (let wave = 1; wave <= 2; wave++) {
      const target = wave * GRANTS;
      const first = await waitFor(
        `wave ${wave} to start`,
        () => fake.count('refresh') > target - GRANTS,
        120_000,
      );
      const last = await waitFor(
        `wave ${wave} to drain`,
        () => fake.count('refresh') >= target,
        600_000,
      );
      if (wave === 1) fake.tokenLifetimeSeconds = 3600; // wave 2 ends the waves
      const cpuNow = apps.reduce((n, a) => n + a.cpuMicros(), 0);
      const tripsNow = await backend.roundTrips();
      waves.push({
        drainMs: last - first,
        refreshes: fake.count('refresh') - (target - GRANTS),
        cpuMicros: cpuNow - cpu,
        roundTrips: tripsNow - trips,
      });
      [cpu, trips] = [cpuNow, tripsNow];
    }
    // one more round: nothing is refreshed a third time
    await new Promise((r) => setTimeout(r, (INTERVAL_SECONDS * 1.2 + 2) * 1000));
    await Promise.all(apps.map((a) => a.stop()));
    const counts = await versions(backend.store);
    return {
      waves,
      versions: [...counts].sort(([a], [b]) => a - b).map(([v, n]) => `${n} at version ${v}`),
    };
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await fake.stop();
  }
}

/**
 * Background upkeep at scale: 10,000 user-scoped iSolarCloud connections in PostgreSQL (and in
 * Redis), 3 real sample processes with `AUTH_UPKEEP=on`, tokens expiring in two waves.
 */
export const upkeep: BenchScenario = {
  name: 'upkeep',
  description: `${GRANTS} user-scoped grants, ${PROCESSES} app processes, 2 waves of due tokens: refreshes per grant, drain time, CPU, round trips`,
  async run() {
    const rows: string[] = [];
    for (const start of [postgres, redis]) {
      const backend = await start();
      try {
        const { waves, versions } = await measure(backend);
        waves.forEach((w, i) =>
          rows.push(
            `| ${backend.name} | ${i + 1} | ${w.refreshes} | ${(w.refreshes / GRANTS).toFixed(3)} | ${(w.drainMs / 1000).toFixed(1)} | ${Math.round(w.cpuMicros / (GRANTS / 1000) / 1000)} | ${(w.roundTrips / w.refreshes).toFixed(1)} | ${i === 1 ? versions.join(', ') : ''} |`,
          ),
        );
        console.log(`  ${backend.name}: ${JSON.stringify(waves)} ${versions.join(', ')}`);
      } finally {
        await backend.stop();
      }
    }
    return [
      '## Upkeep at scale',
      '',
      machineLine(),
      '',
      `Method: ${GRANTS.toLocaleString('en')} distinct iSolarCloud users connected (user-scoped grants, each through a real consent and code exchange at the fake) into the store, with access tokens already due; then ${PROCESSES} real sample processes (\`AUTH_UPKEEP=on\`, \`AUTH_UPKEEP_INTERVAL_SECONDS=${INTERVAL_SECONDS}\`, one store, same keys) start. Wave 1 refreshes every grant; its new tokens are due ${WAVE_GAP_SECONDS} s later (wave 2), whose tokens live an hour. No browser makes a request. "Drain" is the first to the last upstream refresh of the wave; CPU is the three processes' user + system time over the wave per 1,000 grants; store requests are the backend's own count over the wave (PostgreSQL transactions in \`pg_stat_database\`, one per statement outside a transaction; Redis commands in \`INFO commandstats\` of a private server, which also counts the commands a Lua script runs inside one round trip), claims and locks included. Versions are read from the store afterwards: 1 after the login, +1 per refresh.`,
      '',
      '| store | wave | upstream refreshes | per grant | drain s | CPU ms per 1,000 grants | store requests per refresh | grants by version after both waves |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  },
};
