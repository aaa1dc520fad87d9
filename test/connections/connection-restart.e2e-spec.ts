import { connectionsId, KeyRing, PostgresTokenStore } from 'nestjs-auth-code';
import { FakeIsolarcloud, freePort } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { PostgresDatabase } from '../support/postgres-database';
import { SampleProcess } from '../support/sample-processes';

/** The fake's access tokens live this long; the app refreshes 2 s (plus up to 5 s jitter) before. */
const TOKEN_SECONDS = 10;
const KEYS = Buffer.alloc(32, 11).toString('base64');
const USER_KEY = 'isolarcloud:408056'; // the sample's default user key: the first login's provider:id

/** Resolves once `check()` is true, polling every 100 ms; fails with `what` after `ms`. */
async function until(check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The runs: the sample as it is (the plant monitor reads every second, and refreshes the token
 * when it finds it due) on each platform, and with the monitor off, where background upkeep
 * alone keeps the connection alive.
 */
const RUNS = [
  ...PLATFORMS.map((platform) => ({ platform, monitor: true })),
  { platform: 'express', monitor: false },
];

/**
 * Issue 11's acceptance: a connection outlives the browser and the process. Log in with
 * iSolarCloud (user scope, the sample's default), log out, let the access token expire twice,
 * restart the app process (same keys, PostgreSQL store): the connection is still valid, the fake
 * saw exactly the rotations the store recorded (each refresh token used once), and the plant
 * monitor kept fetching. Two real sample processes, one after the other, against the fake in
 * this process.
 */
describe.each(RUNS)(
  'a connected account across a restart of the sample ($platform, plant monitor: $monitor)',
  ({ platform, monitor }) => {
    let db: PostgresDatabase;
    let fake: FakeIsolarcloud;
    let base: string;
    let sample: SampleProcess;

    beforeAll(async () => {
      db = await PostgresDatabase.create();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      fake = new FakeIsolarcloud({
        redirectUri: `${base}/auth/isolarcloud/callback`,
        tokenLifetimeSeconds: TOKEN_SECONDS,
      });
      await fake.start();
      sample = new SampleProcess(port, {
        ...fake.environment(),
        AUTH_DEMO: 'off',
        AUTH_PLATFORM: platform,
        AUTH_BASE_URL: base,
        AUTH_STORE: db.url,
        AUTH_SESSION_SECRET: 'restart-acceptance-secret-0123456789-abcdef',
        AUTH_ENCRYPTION_KEYS: KEYS,
        AUTH_REFRESH_SKEW_SECONDS: '2',
        AUTH_UPKEEP: 'on',
        AUTH_UPKEEP_INTERVAL_SECONDS: '5',
        SAMPLE_PLANT_MONITOR_SECONDS: monitor ? '1' : '0',
        LOG_LEVEL: 'debug',
      });
    });
    afterAll(async () => {
      await sample?.stop();
      await fake?.stop();
      await db?.drop();
    });

    it(`is still valid after logout, two expiries and a restart; every rotation once${monitor ? '; the monitor kept fetching' : ', by upkeep alone'}`, async () => {
      await sample.start();
      const browser = new Browser(base);
      await login(browser, 'isolarcloud', fake);
      const listed = (await (await browser.get('/api/connections')).json()) as Array<
        Record<string, unknown>
      >;
      expect(listed).toEqual([
        expect.objectContaining({ provider: 'isolarcloud', scope: 'user', status: 'connected' }),
      ]);
      const out = await browser.post(
        '/auth/logout',
        { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        '',
      );
      expect(out.status).toBe(303);
      expect(browser.cookies.size).toBe(0); // no browser from here on

      // the access token expires twice while nobody is there: two rotations, plant lists read
      await until(() => fake.count('refresh') >= 2, 'two refreshes before the restart', 40_000);
      await sample.stop();
      const beforeRestart = { refreshes: fake.count('refresh'), plants: fake.count('plants') };
      if (monitor) expect(beforeRestart.plants).toBeGreaterThanOrEqual(2);
      else expect(beforeRestart.plants).toBe(0); // nothing but upkeep touched the connection

      // a new process with the same keys and store: it finds the connection and goes on
      const restartedAt = Date.now();
      const restartedOutput = sample.output.length;
      await sample.start();
      await until(
        () =>
          fake.count('refresh') > beforeRestart.refreshes &&
          fake.count('plants') >= beforeRestart.plants + (monitor ? 2 : 0),
        'a refresh (and two plant list reads) after the restart',
        40_000,
      );
      await sample.stop();
      const second = sample.output.slice(restartedOutput);

      // the connection in the store is live, and it recorded every rotation the fake made
      const store = new PostgresTokenStore({
        postgres: db.url,
        cipher: KeyRing.fromEnvironment(KEYS, undefined, () => undefined),
        cleanupIntervalMs: 0,
      });
      try {
        const owner = connectionsId(USER_KEY);
        const record = await store.getSession(owner);
        expect(record).toMatchObject({ kind: 'connections', providers: ['isolarcloud'] });
        expect(record?.lost).toBeUndefined();
        const grant = (await store.getGrant(owner, 'isolarcloud'))!;
        expect(grant.refreshedAt).toBeGreaterThan(restartedAt);
        const presented = fake.requestsTo('refresh').map((r) => r.body?.refresh_token);
        expect(grant.version - 1).toBe(presented.length); // each rotation stored, none lost
        expect(new Set(presented).size).toBe(presented.length); // each refresh token used once
        expect(presented).not.toContain(grant.tokenSet.refreshToken); // the stored one is unused
      } finally {
        await store.close();
      }

      expect(sample.output).not.toMatch(/is dead|login_required|upkeep.*failed/i);
      if (!monitor) return;
      // the monitor read the plant list with the connection after the restart, without failing
      const rounds = second.match(/Plant monitor round: 1 users, \d+ fetched, \d+ failed/g);
      expect(rounds?.length).toBeGreaterThanOrEqual(2);
      expect(rounds).toContain('Plant monitor round: 1 users, 1 fetched, 0 failed');
      expect(rounds!.filter((r) => !r.endsWith('1 fetched, 0 failed'))).toEqual([]);
    }, 150_000);
  },
);
