import { Redis } from 'ioredis';
import { PostgresTokenStore, RedisTokenStore, TokenStore } from 'nestjs-auth-code';
import { PostgresDatabase } from '../support/postgres-database';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { RedisCluster } from '../support/redis-cluster';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from '../tokens/refresh-knobs';
import { askToken, closeAll, loginOn, sameUserOn } from '../tokens/token-apps';

const REQUESTS = 300;
/** Inside the 60 s skew: the stored token is due. */
const DUE_LIFETIME = 30;
/** Well past the skew: the refreshed token is fresh. */
const FRESH_LIFETIME = 600;

/** A shared backend for three app instances, and how to count what it holds. */
interface Backend {
  url: string;
  /** Rows or keys per kind: sessions, grants, locks. */
  census(): Promise<{ sessions: number; grants: number; locks: number }>;
  stop(): Promise<void>;
}

async function postgres(): Promise<Backend> {
  const db = await PostgresDatabase.create();
  return {
    url: db.url,
    census: () =>
      db.withClient(async (c) => {
        const n = async (t: string) =>
          (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM auth_code.${t}`)).rows[0].n;
        return {
          sessions: await n('sessions'),
          grants: await n('grants'),
          locks: await n('locks'),
        };
      }),
    stop: () => db.drop(),
  };
}

async function redisCluster(): Promise<Backend> {
  const cluster = await RedisCluster.start();
  return {
    url: cluster.url,
    async census() {
      const masters = cluster.masters();
      try {
        const keys = (await Promise.all(masters.map((m: Redis) => m.keys('auth-code:*')))).flat();
        const count = (start: string) => keys.filter((k) => k.startsWith(start)).length;
        return {
          sessions: count('auth-code:session:'),
          grants: count('auth-code:grant:'),
          locks: count('auth-code:lock:'),
        };
      } finally {
        masters.forEach((m) => m.disconnect());
      }
    },
    stop: () => cluster.stop(),
  };
}

describe.each([
  ['PostgreSQL', postgres],
  ['Redis Cluster', redisCluster],
])('3 app instances on one %s store (iSolarCloud, rotating refresh tokens)', (_name, start) => {
  let backend: Backend;
  let fx: ProviderFixture;
  let knobs: RefreshKnobs;
  let apps: TestApp[] = [];

  beforeAll(async () => {
    [backend, fx] = await Promise.all([start(), isolarcloudFixture()]);
    knobs = refreshKnobs(fx);
    knobs.enableRotation();
    // started together: with PostgreSQL the three migrate at the same moment
    apps = await Promise.all(
      [1, 2, 3].map(() => startTestApp({ providers: [fx.definition], store: backend.url })),
    );
  });
  afterAll(async () => {
    await closeAll(apps);
    await fx?.fake.stop();
    await backend?.stop();
  });

  it('sends exactly one refresh for 300 concurrent requests over the instances, and stores exactly one session and grant', async () => {
    knobs.setAccessTokenLifetime(DUE_LIFETIME);
    const first = await loginOn(apps[0], fx);
    knobs.setAccessTokenLifetime(FRESH_LIFETIME);
    fx.fake.latencyMs = 100;
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        askToken(sameUserOn(apps[i % apps.length], first), fx.id),
      ),
    );
    fx.fake.latencyMs = 0;
    expect(answers.filter((a) => a.status !== 200).map((a) => a.text)).toEqual([]);
    expect(knobs.refreshCalls()).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.expiresAt)).size).toBe(1);
    expect(await backend.census()).toEqual({ sessions: 1, grants: 1, locks: 0 });
    for (const app of apps) {
      expect((await askToken(sameUserOn(app, first), fx.id)).body.refreshed).toBe(false);
    }
    expect(knobs.refreshCalls()).toHaveLength(1);
  });

  it('closes its store connection when the app closes', async () => {
    const app = await startTestApp({ providers: [fx.definition], store: backend.url });
    const store = app.app.get(TokenStore);
    await app.close();
    if (store instanceof PostgresTokenStore) expect(store.pool.ended).toBe(true);
    else expect((store as RedisTokenStore).client.status).toBe('end');
  });
});
