import { Pool } from 'pg';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { rejectionOf } from '../../../../test/support/rejection';
import { ConfigurationError } from '../errors/auth-code.errors';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { migratePostgresTokenStore } from './postgres-migrate';
import {
  migrationsTableSql,
  POSTGRES_STORE_MIGRATIONS,
  postgresStoreTables,
  postgresTokenStoreSql,
} from './postgres-schema';
import { PostgresTokenStore } from './postgres-token.store';
import { sealRecord } from './record-codec';
import { StoreKeys } from './store-keys';

const quiet: TokenLogger = { warn: () => undefined };
const LATEST = POSTGRES_STORE_MIGRATIONS.at(-1)!.version;

describe('PostgreSQL store migration (own database)', () => {
  let db: PostgresDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await PostgresDatabase.create();
    pool = new Pool({ connectionString: db.url });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });
  const tables = async (schema: string) =>
    (
      await pool.query<{ t: string }>(
        'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema],
      )
    ).rows.map((r) => r.t);

  it('creates the schema and tables once, records the version, and is a no-op when current', async () => {
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(m) };
    expect(await migratePostgresTokenStore(db.url, { schema: 'once', logger })).toEqual({
      from: 0,
      to: LATEST,
    });
    expect(await tables('once')).toEqual([
      'claims',
      'grants',
      'locks',
      'schema_migrations',
      'session_index',
      'sessions',
      'transactions',
    ]);
    expect(lines).toEqual(
      POSTGRES_STORE_MIGRATIONS.map(
        (m) => `PostgreSQL token store schema migrated to version ${m.version}`,
      ),
    );
    expect(await migratePostgresTokenStore(pool, { schema: 'once', logger })).toEqual({
      from: LATEST,
      to: LATEST,
    });
    expect(lines).toHaveLength(POSTGRES_STORE_MIGRATIONS.length);
    const { rows } = await pool.query('SELECT version FROM once.schema_migrations');
    expect(rows).toEqual(POSTGRES_STORE_MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('lets several instances migrate at the same moment: one applies, the others find it done', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        migratePostgresTokenStore(db.url, { schema: 'race', tablePrefix: 'x_', logger: quiet }),
      ),
    );
    expect(results.filter((r) => r.from === 0)).toHaveLength(1);
    expect(results.filter((r) => r.from === LATEST)).toHaveLength(3);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM race.x_schema_migrations');
    expect(rows).toEqual([{ n: POSTGRES_STORE_MIGRATIONS.length }]);
  });

  it('keeps apps apart by table prefix in one schema', async () => {
    await migratePostgresTokenStore(pool, { schema: 'shared', tablePrefix: 'a_', logger: quiet });
    await migratePostgresTokenStore(pool, { schema: 'shared', tablePrefix: 'b_', logger: quiet });
    const ring = KeyRing.ephemeral();
    const a = new PostgresTokenStore({
      postgres: pool,
      cipher: ring,
      schema: 'shared',
      tablePrefix: 'a_',
    });
    const b = new PostgresTokenStore({
      postgres: pool,
      cipher: ring,
      schema: 'shared',
      tablePrefix: 'b_',
    });
    const s = { id: 'sid-prefix', user: { provider: 'p', id: 'u' }, providers: [], createdAt: 1 };
    await a.setSession(s, 60_000);
    expect(await a.getSession(s.id)).toEqual(s);
    expect(await b.getSession(s.id)).toBeUndefined();
    await a.close(); // a given pool stays open
    expect(pool.ended).toBe(false);
  });

  it('upgrades a version-2 schema in place: grants written before keep working, and join the upkeep index at their next write', async () => {
    const t = postgresStoreTables({ schema: 'upgrade' });
    await pool.query(`CREATE SCHEMA upgrade; ${migrationsTableSql(t)}`);
    for (const m of POSTGRES_STORE_MIGRATIONS.filter((step) => step.version <= 2)) {
      await pool.query(m.sql(t));
      await pool.query(`INSERT INTO ${t.migrations} (version, description) VALUES ($1, $2)`, [
        m.version,
        m.description,
      ]);
    }
    // a grant as a version-2 store wrote it
    const ring = KeyRing.ephemeral();
    const grant = {
      tokenSet: { accessToken: 'old', tokenType: 'Bearer', expiresAt: 1 },
      profile: { provider: 'p', id: 'u' },
      version: 1,
      updatedAt: 1,
    };
    await pool.query(
      `INSERT INTO ${t.grants} (owner_key, provider, version, record, updated_at, expires_at)
       VALUES ($1, 'p', 1, $2, now(), now() + interval '1 hour')`,
      [StoreKeys.sessionDigest('sid-2'), sealRecord(ring, StoreKeys.grant('sid-2', 'p'), grant)],
    );
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(m) };
    expect(await migratePostgresTokenStore(pool, { schema: 'upgrade', logger })).toEqual({
      from: 2,
      to: LATEST,
    });
    expect(lines).toEqual(['PostgreSQL token store schema migrated to version 3']);
    const store = new PostgresTokenStore({ postgres: pool, cipher: ring, schema: 'upgrade' });
    expect(await store.getGrant('sid-2', 'p')).toEqual(grant);
    expect(await store.claimDueGrants(10, 10, 1000)).toEqual([]);
    await store.compareAndSetGrant('sid-2', 'p', { ...grant, upkeepAt: 5 }, 1, 60_000);
    expect(await store.claimDueGrants(10, 10, 1000)).toEqual([{ ownerId: 'sid-2', provider: 'p' }]);
  });

  it('refuses to work on a schema newer than this library knows', async () => {
    await migratePostgresTokenStore(pool, { schema: 'future', logger: quiet });
    await pool.query(
      `INSERT INTO future.schema_migrations (version, description) VALUES ($1, 'from the future')`,
      [LATEST + 1],
    );
    const err = await rejectionOf(
      migratePostgresTokenStore(pool, { schema: 'future', logger: quiet }),
      ConfigurationError,
    );
    expect(err.message).toContain(`schema is at version ${LATEST + 1}, newer than the ${LATEST}`);
  });

  it('hands out the same schema as one SQL script for your own migration tool', async () => {
    const sql = postgresTokenStoreSql({ schema: 'by_hand', tablePrefix: 'm_' });
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS "by_hand";');
    await pool.query(sql);
    expect(await tables('by_hand')).toEqual([
      'm_claims',
      'm_grants',
      'm_locks',
      'm_schema_migrations',
      'm_session_index',
      'm_sessions',
      'm_transactions',
    ]);
    const again = await migratePostgresTokenStore(pool, {
      schema: 'by_hand',
      tablePrefix: 'm_',
      logger: quiet,
    });
    expect(again).toEqual({ from: LATEST, to: LATEST });
    const store = new PostgresTokenStore({
      postgres: pool,
      cipher: KeyRing.ephemeral(),
      schema: 'by_hand',
      tablePrefix: 'm_',
    });
    const grant = {
      tokenSet: { accessToken: 'a', tokenType: 'Bearer', expiresAt: 1 },
      profile: { provider: 'p', id: 'u' },
    };
    expect(await store.compareAndSetGrant('sid', 'p', grant, 0, 60_000)).toMatchObject({
      version: 1,
    });
  });
});
