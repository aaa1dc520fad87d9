import { Redis } from 'ioredis';
import { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PostgresDatabase } from '../support/postgres-database';
import { RedisCluster } from '../support/redis-cluster';
import { freePort, SampleProcess } from '../support/sample-processes';
import { askToken } from '../tokens/token-apps';

/** Users connected per wave test (one grant each). */
const USERS = 12;
/** Access-token lifetime: due 10 s after issue (the refresh skew is 60 s). */
const WAVE_LIFETIME = 70;
const SECRET = 'three-processes-session-secret-0123456789';
const KEYS = Buffer.alloc(32, 5).toString('base64');

/** A store backend three app processes share, and how to count what it holds. */
interface Backend {
  url: string;
  /** Grants held (connections and session grants), counted in the backend itself. */
  grants(): Promise<number>;
  stop(): Promise<void>;
}

async function postgres(): Promise<Backend> {
  const db = await PostgresDatabase.create();
  return {
    url: db.url,
    grants: () =>
      db.withClient(
        async (c) =>
          (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_code.grants')).rows[0]
            .n,
      ),
    stop: () => db.drop(),
  };
}

async function redisCluster(): Promise<Backend> {
  const cluster = await RedisCluster.start();
  return {
    url: cluster.url,
    async grants() {
      const masters = cluster.masters();
      try {
        const keys = (await Promise.all(masters.map((m: Redis) => m.keys('auth-code:grant:*'))))
          .flat()
          .filter((k) => !k.includes('directory'));
        return keys.length;
      } finally {
        masters.forEach((m) => m.disconnect());
      }
    },
    stop: () => cluster.stop(),
  };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many times each refresh token was presented to the fake. */
function uses(fake: FakeIsolarcloud): Map<string, number> {
  const seen = new Map<string, number>();
  for (const r of fake.requestsTo('refresh')) {
    const token = String((r.body as Record<string, unknown>)?.refresh_token);
    seen.set(token, (seen.get(token) ?? 0) + 1);
  }
  return seen;
}

describe.each([
  ['PostgreSQL', postgres],
  ['Redis Cluster', redisCluster],
])('3 sample processes on one %s store, user-scoped iSolarCloud connections', (_name, start) => {
  let backend: Backend;
  let fake: FakeIsolarcloud;
  let apps: SampleProcess[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    fake = new FakeIsolarcloud({ redirectUri: `${base}/auth/isolarcloud/callback` });
    [backend] = await Promise.all([start(), fake.start()]);
    // behind one load balancer: every instance has the same public base URL and keys
    const env = {
      ...fake.environment(),
      AUTH_BASE_URL: base,
      AUTH_DEMO: 'off',
      AUTH_STORE: backend.url,
      AUTH_SESSION_SECRET: SECRET,
      AUTH_ENCRYPTION_KEYS: KEYS,
      AUTH_GRANT_SCOPE: 'user',
      AUTH_UPKEEP: 'on',
      AUTH_UPKEEP_INTERVAL_SECONDS: '5',
      SAMPLE_PLANT_MONITOR_SECONDS: '0',
    };
    apps = [port, await freePort(), await freePort()].map((p) => new SampleProcess(p, env));
    await Promise.all(apps.map((a) => a.start()));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await fake?.stop();
    await backend?.stop();
  });

  /** Logs a new user in through `app` (its own browser); returns the browser. */
  async function connect(app: SampleProcess, userId: number): Promise<Browser> {
    fake.userId = userId;
    const browser = new Browser(app.url);
    const steps = await login(browser, 'isolarcloud', fake);
    expect(steps.callback.status).toBe(302);
    return browser;
  }

  const on = (app: SampleProcess, from: Browser) => {
    const b = new Browser(app.url);
    for (const [k, v] of from.cookies) b.cookies.set(k, v);
    return b;
  };

  it('a refresh storm over the 3 processes makes exactly one upstream refresh', async () => {
    fake.tokenLifetimeSeconds = 30; // inside the skew: due at the first request
    const browser = await connect(apps[0], 1001);
    fake.tokenLifetimeSeconds = 3600;
    fake.latencyMs = 100;
    const before = fake.count('refresh');
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => askToken(on(apps[i % 3], browser), 'isolarcloud')),
    );
    fake.latencyMs = 0;
    expect(answers.filter((a) => a.status !== 200).map((a) => a.text)).toEqual([]);
    expect(fake.count('refresh') - before).toBe(1);
    expect(new Set(answers.map((a) => a.body.expiresAt)).size).toBe(1);
  });

  it('upkeep waves refresh every due connection exactly once per wave, with the browsers gone', async () => {
    fake.tokenLifetimeSeconds = WAVE_LIFETIME;
    const start = fake.requestsTo('refresh').length;
    const browsers: Browser[] = [];
    for (let i = 0; i < USERS; i++) browsers.push(await connect(apps[i % 3], 2000 + i));
    const grantsAfterLogin = await backend.grants();
    // wave 1: every token is due 10 s after its login; no request is made meanwhile
    await until(
      `wave 1 (${USERS} refreshes)`,
      () => fake.count('refresh') - start >= USERS,
      45_000,
    );
    fake.tokenLifetimeSeconds = 3600; // wave 2 issues long-lived tokens: no wave 3
    await until(`wave 2`, () => fake.count('refresh') - start >= 2 * USERS, 45_000);
    // one more upkeep interval and then some: nothing is refreshed twice
    await new Promise((r) => setTimeout(r, 7_000));
    const wave = fake.requestsTo('refresh').slice(start);
    expect(wave).toHaveLength(2 * USERS);
    const presented = uses(fake);
    const tokens = wave.map((r) => String((r.body as Record<string, unknown>).refresh_token));
    expect(new Set(tokens).size).toBe(2 * USERS);
    expect(tokens.every((t) => presented.get(t) === 1)).toBe(true);
    // nothing lost or duplicated: the same grants, each valid and fresh on every instance
    expect(await backend.grants()).toBe(grantsAfterLogin);
    for (const [i, browser] of browsers.entries()) {
      const answer = await askToken(on(apps[(i + 1) % 3], browser), 'isolarcloud');
      expect(answer).toMatchObject({ status: 200, body: { refreshed: false } });
    }
    expect(fake.requestsTo('refresh')).toHaveLength(start + 2 * USERS);
  }, 150_000);

  it('a dead refresh token ends as login_required with one upstream call, reported once', async () => {
    fake.tokenLifetimeSeconds = WAVE_LIFETIME;
    const browser = await connect(apps[2], 9001);
    const before = fake.count('refresh');
    fake.forceError('refresh', '2'); // what iSolarCloud answers for a dead refresh token
    await until('the upkeep refresh', () => fake.count('refresh') > before, 45_000);
    await new Promise((r) => setTimeout(r, 7_000)); // more rounds: no retry
    expect(fake.count('refresh') - before).toBe(1);
    const reports = apps
      .map((a) => a.output.match(/isolarcloud grant of user isolarcloud:9001 is dead/g) ?? [])
      .flat();
    expect(reports).toHaveLength(1);
    const answer = await askToken(on(apps[0], browser), 'isolarcloud');
    expect(answer).toMatchObject({ status: 401, body: { error: 'login_required' } });
    expect(fake.count('refresh') - before).toBe(1);
  }, 90_000);
});
