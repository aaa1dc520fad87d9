import { BASE_ENVIRONMENT, startEnvApp, xtEnvironment } from '../support/env-app';
import { PostgresDatabase } from '../support/postgres-database';
import type { FakeXt } from 'nestjs-auth-code/testing';
import { xtFixture, type ProviderFixture } from '../support/provider-fixtures';
import type { TestApp } from '../support/test-app';
import { closeAll, loginOn } from '../tokens/token-apps';

/** `AuthCodeModule.forRoot()` on PostgreSQL, configured by the environment alone. */
describe('PostgreSQL store from the environment (XT.COM fake)', () => {
  let db: PostgresDatabase;
  let fx: ProviderFixture<FakeXt>;
  const apps: TestApp[] = [];
  const environment = (extra: Record<string, string>) => ({
    ...BASE_ENVIRONMENT,
    ...xtEnvironment(fx.fake),
    AUTH_STORE: db.url,
    // one session, one grant: the sample would keep XT.COM as a connected account otherwise
    AUTH_GRANT_SCOPE: 'session',
    ...extra,
  });
  const rows = (sql: string) => db.withClient(async (c) => (await c.query(sql)).rows);

  beforeAll(async () => {
    [db, fx] = await Promise.all([PostgresDatabase.create(), xtFixture()]);
  });
  afterAll(async () => {
    await closeAll(apps);
    await fx?.fake.stop();
    await db?.drop();
  });

  it('migrates into AUTH_STORE_SCHEMA with AUTH_STORE_TABLE_PREFIX at start-up and keeps the login there', async () => {
    const app = await startEnvApp(
      environment({ AUTH_STORE_SCHEMA: 'from_env', AUTH_STORE_TABLE_PREFIX: 'app_' }),
    );
    apps.push(app);
    const browser = await loginOn(app, fx);
    expect((await browser.get('/me')).status).toBe(200);
    expect(await rows('SELECT count(*)::int AS n FROM from_env.app_sessions')).toEqual([{ n: 1 }]);
    expect(await rows('SELECT provider, version FROM from_env.app_grants')).toEqual([
      { provider: 'xt', version: '1' },
    ]);
  });

  it('leaves the schema to the deploy step with AUTH_STORE_MIGRATE=off: the app starts, and answers 503 naming the migration', async () => {
    const app = await startEnvApp(
      environment({ AUTH_STORE_SCHEMA: 'not_migrated', AUTH_STORE_MIGRATE: 'off' }),
    );
    apps.push(app);
    const res = await fetch(`${app.url}/auth/xt/login`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('do not exist; apply its migration');
    expect(
      await rows(
        "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'not_migrated'",
      ),
    ).toEqual([]);
  });
});
