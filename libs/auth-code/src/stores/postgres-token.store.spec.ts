import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { migratePostgresTokenStore } from './postgres-migrate';
import { PostgresTokenStore } from './postgres-token.store';
import { StoreKeys } from './store-keys';
import type { SessionRecord, StoredGrant } from './token-store.interface';

const quiet: TokenLogger = { warn: () => undefined };
const profile = { provider: 'acme', id: 'user-1' };
const id = () => randomBytes(32).toString('base64url');
const session = (sid: string): SessionRecord => ({
  id: sid,
  user: profile,
  providers: [],
  createdAt: 1,
});
const grantExpiringAt = (expiresAt: number): Omit<StoredGrant, 'version' | 'updatedAt'> => ({
  tokenSet: { accessToken: `at-${expiresAt}`, tokenType: 'Bearer', expiresAt },
  profile,
});
const upkeepAt = (at: number) => ({ ...grantExpiringAt(at), upkeepAt: at });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Store-specific behaviour; what every store does is in test/stores (the contract suite). */
describe('PostgresTokenStore (own database)', () => {
  let db: PostgresDatabase;
  let pool: Pool;
  const stores: PostgresTokenStore[] = [];
  const make = (cleanupIntervalMs = 0) => {
    const store = new PostgresTokenStore({
      postgres: pool,
      cipher: KeyRing.ephemeral(),
      cleanupIntervalMs,
      logger: quiet,
    });
    stores.push(store);
    return store;
  };
  const count = async (table: string) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM auth_code.${table}`)).rows[0]
      .n;

  beforeAll(async () => {
    db = await PostgresDatabase.create();
    pool = new Pool({ connectionString: db.url });
    await migratePostgresTokenStore(pool, { logger: quiet });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await pool.end();
    await db.drop();
  });
  beforeEach(async () => {
    await pool.query(
      'TRUNCATE auth_code.sessions, auth_code.grants, auth_code.transactions, auth_code.locks',
    );
  });

  it('cleanup deletes expired rows of every table, in bounded batches, and keeps live ones', async () => {
    const store = make();
    for (let i = 0; i < 5; i++) {
      await store.setSession(session(id()), 20);
      await store.compareAndSetGrant(id(), 'acme', grantExpiringAt(1), 0, 20);
      await store.putTransaction(
        { state: id(), provider: 'acme', browserId: 'b', returnTo: '/', createdAt: 1 },
        20,
      );
    }
    const live = id();
    await store.setSession(session(live), 60_000);
    await sleep(100);
    expect(await store.cleanup({ batchSize: 2, maxBatches: 1 })).toBe(6); // 2 per table (3 tables hold rows)
    expect(await count('sessions')).toBe(4);
    expect(await store.cleanup({ batchSize: 2 })).toBe(9);
    expect(await count('sessions')).toBe(1);
    expect(await count('grants')).toBe(0);
    expect(await count('transactions')).toBe(0);
    expect(await store.getSession(live)).toEqual(session(live));
    expect(await store.cleanup()).toBe(0);
  });

  it('cleanup reclaims expired locks and keeps held ones', async () => {
    const store = make();
    await pool.query(
      `INSERT INTO auth_code.locks (key, owner, expires_at) VALUES ('old', 'o', now() - interval '1 s'), ('live', 'o', now() + interval '1 h')`,
    );
    expect(await store.cleanup()).toBe(1);
    const { rows } = await pool.query('SELECT key FROM auth_code.locks');
    expect(rows).toEqual([{ key: 'live' }]);
  });

  it('also deletes expired rows by itself now and then, after a write', async () => {
    const store = make(50);
    await store.setSession(session(id()), 20);
    await sleep(100);
    await store.setSession(session(id()), 60_000); // the write that triggers one background batch
    for (let i = 0; i < 50 && (await count('sessions')) !== 1; i++) await sleep(20);
    expect(await count('sessions')).toBe(1);
  });

  it('keeps the access token expiry of each grant in a plain, indexed column, so due grants can be listed without decrypting', async () => {
    const store = make();
    const [soon, later] = [Date.now() + 60_000, Date.now() + 3600_000];
    const [s1, s2] = [id(), id()];
    await store.compareAndSetGrant(s1, 'acme', grantExpiringAt(soon), 0, 60_000);
    await store.compareAndSetGrant(s2, 'acme', grantExpiringAt(later), 0, 60_000);
    const { rows } = await pool.query(
      `SELECT owner_key, (extract(epoch FROM access_expires_at) * 1000)::bigint AS due
         FROM auth_code.grants WHERE access_expires_at < to_timestamp($1 / 1000.0) ORDER BY access_expires_at LIMIT 100`,
      [Date.now() + 600_000],
    );
    expect(rows).toEqual([{ owner_key: StoreKeys.sessionDigest(s1), due: String(soon) }]);
    // a refresh moves it
    await store.compareAndSetGrant(s1, 'acme', grantExpiringAt(later), 1, 60_000);
    const moved = await pool.query(
      'SELECT count(*)::int AS n FROM auth_code.grants WHERE access_expires_at < to_timestamp($1 / 1000.0)',
      [Date.now() + 600_000],
    );
    expect(moved.rows).toEqual([{ n: 0 }]);
    const plan = await pool.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'auth_code' AND indexname = 'grants_due'`,
    );
    expect(plan.rows[0].indexdef).toContain('(access_expires_at)');
  });

  it('claims past a due grant another transaction holds instead of waiting for it, and gets it once free', async () => {
    const store = make();
    const [held, free] = [id(), id()];
    await store.compareAndSetGrant(held, 'acme', upkeepAt(1_000), 0, 60_000);
    await store.compareAndSetGrant(free, 'acme', upkeepAt(2_000), 0, 60_000);
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT 1 FROM auth_code.grants WHERE owner_key = $1 FOR UPDATE', [
        StoreKeys.sessionDigest(held),
      ]);
      // waiting for the row lock instead would hang until the COMMIT below, which never comes
      expect(await store.claimDueGrants(5_000, 10, 60_000)).toEqual([
        { ownerId: free, provider: 'acme' },
      ]);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    expect(await store.claimDueGrants(5_000, 10, 60_000)).toEqual([
      { ownerId: held, provider: 'acme' },
    ]);
  });

  it('keeps the upkeep time plain and indexed, the owner id as ciphertext bound to its row', async () => {
    const lines: string[] = [];
    const store = new PostgresTokenStore({
      postgres: pool,
      cipher: KeyRing.ephemeral(),
      cleanupIntervalMs: 0,
      logger: { warn: (m) => lines.push(m) },
    });
    stores.push(store);
    const [victim, other] = [id(), id()];
    await store.compareAndSetGrant(victim, 'acme', upkeepAt(1_000), 0, 60_000);
    await store.compareAndSetGrant(other, 'acme', upkeepAt(1_000), 0, 60_000);
    const { rows } = await pool.query<{ owner_key: string; owner_ref: string; at: string }>(
      `SELECT owner_key, owner_ref, (extract(epoch FROM upkeep_at) * 1000)::bigint AS at
         FROM auth_code.grants ORDER BY owner_key`,
    );
    expect(rows.map((r) => r.at)).toEqual(['1000', '1000']);
    for (const row of rows) expect(row.owner_ref).toMatch(/^a1\./);
    // the victim's owner copied onto the other row: it does not open there
    await pool.query('UPDATE auth_code.grants SET owner_ref = $1 WHERE owner_key = $2', [
      rows.find((r) => r.owner_key === StoreKeys.sessionDigest(victim))!.owner_ref,
      StoreKeys.sessionDigest(other),
    ]);
    expect(await store.claimDueGrants(5_000, 10, 10)).toEqual([
      { ownerId: victim, provider: 'acme' },
    ]);
    expect(lines).toEqual([
      expect.stringContaining('stored upkeep record that cannot be decrypted'),
    ]);
    // and that row is out of the index until its next write
    expect(await store.claimDueGrants(10_000, 10, 10)).toEqual([
      { ownerId: victim, provider: 'acme' },
    ]);
    expect(lines).toHaveLength(1);
    const plan = await pool.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'auth_code' AND indexname = 'grants_upkeep'`,
    );
    expect(plan.rows[0].indexdef).toContain('(upkeep_at) WHERE (upkeep_at IS NOT NULL)');
  });
});
