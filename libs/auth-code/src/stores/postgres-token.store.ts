import type { Pool } from 'pg';
import type { Cipher } from '../tokens/crypto/cipher';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  describePostgresError,
  resolvePostgres,
  type PostgresConnectionOptions,
  type PostgresSource,
} from './postgres-connection';
import { PostgresGuard } from './postgres-guard';
import { migratePostgresTokenStore, type PostgresMigrateResult } from './postgres-migrate';
import { postgresStoreTables, type PostgresStoreNaming } from './postgres-schema';
import { postgresStatements, type PostgresStatements } from './postgres-statements';
import { openRecord, sealRecord } from './record-codec';
import { digest, StoreKeys } from './store-keys';
import { UpkeepEntry } from './upkeep-entry';
import type {
  DueGrant,
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenStore,
} from './token-store.interface';

/** Options of {@link PostgresTokenStore}. */
export interface PostgresTokenStoreOptions extends PostgresConnectionOptions, PostgresStoreNaming {
  /** A `postgres://` / `postgresql://` URL, or a `pg` Pool you own and configure. */
  postgres: PostgresSource;
  /** Encrypts every record (usually a `KeyRing`). */
  cipher: Cipher;
  /**
   * At most once per this many ms a write also deletes one batch of expired rows in the
   * background ({@link PostgresTokenStore.cleanup}); 0 turns that off. @default 60000
   */
  cleanupIntervalMs?: number;
  /** Receives undecryptable-record and connection warnings. @default console */
  logger?: TokenLogger;
}

/** Options of {@link PostgresTokenStore.cleanup}. */
export interface PostgresCleanupOptions {
  /** Rows deleted per statement and table. @default 1000 */
  batchSize?: number;
  /** Most statements per table in one call. @default 10 */
  maxBatches?: number;
}

/**
 * A {@link TokenStore} in PostgreSQL, shared by every instance of the app. Rows are keyed by
 * SHA-256 digests (never a session id or state) and every record is key-ring ciphertext bound to
 * its row key, so a copied or altered record reads as absent. Grants are compare-and-set by
 * version (`UPDATE … WHERE version = $n`); rows expire by an `expires_at` PostgreSQL checks on
 * every read, and expired rows are deleted by {@link cleanup}. When PostgreSQL is unreachable each
 * call fails within the pool's timeouts with `store_unavailable` (503), and recovers by itself.
 * The tables come from {@link migratePostgresTokenStore} (or {@link migrate}).
 *
 * The upkeep index ({@link claimDueGrants}) is two columns of the grants table (migration 3):
 * `upkeep_at`, indexed, and `owner_ref`, the owner id as key-ring ciphertext bound to the row. A
 * grant's upkeep entry lives and dies with its row, so deletes and expiry take it along.
 */
export class PostgresTokenStore implements TokenStore {
  /** The `pg` Pool (for health checks; the Postgres lock shares it). */
  readonly pool: Pool;
  /** Tables and statements, for the lock sharing this store's pool. */
  readonly naming: Required<PostgresStoreNaming>;
  private readonly owned: boolean;
  private readonly guard: PostgresGuard;
  private readonly sql: PostgresStatements;
  private readonly cipher: Cipher;
  private readonly logger: TokenLogger;
  private readonly cleanupEveryMs: number;
  private lastCleanup = Date.now();
  private cleaning = false;

  constructor(options: PostgresTokenStoreOptions) {
    this.logger = options.logger ?? consoleTokenLogger;
    const tables = postgresStoreTables(options);
    this.naming = { schema: tables.schema, tablePrefix: tables.prefix };
    ({ pool: this.pool, owned: this.owned } = resolvePostgres(options.postgres, options, (err) =>
      this.guard.failed(`PostgreSQL: ${describePostgresError(err)}`),
    ));
    this.guard = new PostgresGuard(this.pool, this.logger, tables);
    this.sql = postgresStatements(tables);
    this.cipher = options.cipher;
    this.cleanupEveryMs = options.cleanupIntervalMs ?? 60_000;
  }

  /** Creates or upgrades this store's tables (see {@link migratePostgresTokenStore}). */
  migrate(): Promise<PostgresMigrateResult> {
    return migratePostgresTokenStore(this.pool, { ...this.naming, logger: this.logger });
  }

  /** Ends the pool when this store created it (from a URL); a given pool is left open. */
  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  /**
   * Deletes expired rows (sessions, grants, login transactions, locks) in bounded batches; returns
   * how many. Reads never return an expired row anyway: this only reclaims the space.
   */
  async cleanup(options: PostgresCleanupOptions = {}): Promise<number> {
    const batch = options.batchSize ?? 1000;
    const most = options.maxBatches ?? 10;
    return this.guard.run(async (pool) => {
      let deleted = 0;
      for (const statement of this.sql.cleanup) {
        for (let i = 0; i < most; i++) {
          const { rowCount } = await pool.query(statement, [batch]);
          deleted += rowCount ?? 0;
          if ((rowCount ?? 0) < batch) break;
        }
      }
      return deleted;
    });
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    return this.read(this.sql.getSession, [StoreKeys.sessionDigest(id)], StoreKeys.session(id));
  }

  async setSession(session: SessionRecord, ttlMs: number): Promise<void> {
    const sealed = sealRecord(this.cipher, StoreKeys.session(session.id), session);
    await this.write(this.sql.setSession, [StoreKeys.sessionDigest(session.id), sealed, ttlMs]);
  }

  async replaceSession(session: SessionRecord, ttlMs: number): Promise<boolean> {
    const sealed = sealRecord(this.cipher, StoreKeys.session(session.id), session);
    const args = [StoreKeys.sessionDigest(session.id), sealed, ttlMs];
    return (await this.write(this.sql.replaceSession, args)) === 1;
  }

  async deleteSession(id: string): Promise<void> {
    const digest = StoreKeys.sessionDigest(id);
    StoreKeys.forgetSession(id);
    await this.write(this.sql.deleteSession, [digest]);
  }

  async getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    const key = StoreKeys.grant(sessionId, provider);
    return this.read(this.sql.getGrant, [StoreKeys.sessionDigest(sessionId), provider], key);
  }

  async compareAndSetGrant(
    sessionId: string,
    provider: string,
    grant: Omit<StoredGrant, 'version' | 'updatedAt'>,
    expectedVersion: number,
    ttlMs: number,
  ): Promise<StoredGrant | undefined> {
    const written: StoredGrant = { ...grant, version: expectedVersion + 1, updatedAt: Date.now() };
    const sealed = sealRecord(this.cipher, StoreKeys.grant(sessionId, provider), written);
    const owner = StoreKeys.sessionDigest(sessionId);
    const due = Number.isFinite(grant.tokenSet.expiresAt) ? grant.tokenSet.expiresAt : null;
    const [upkeepAt, ownerRef] = this.upkeepColumns(sessionId, owner, provider, grant.upkeepAt);
    const count =
      expectedVersion === 0
        ? await this.write(this.sql.insertGrant, [
            owner,
            provider,
            sealed,
            due,
            ttlMs,
            upkeepAt,
            ownerRef,
          ])
        : await this.write(this.sql.updateGrant, [
            owner,
            provider,
            expectedVersion,
            sealed,
            due,
            ttlMs,
            upkeepAt,
            ownerRef,
          ]);
    return count === 1 ? written : undefined;
  }

  async deleteGrant(sessionId: string, provider: string): Promise<void> {
    await this.write(this.sql.deleteGrant, [StoreKeys.sessionDigest(sessionId), provider]);
  }

  /**
   * Claims due grants in one statement (`… FOR UPDATE SKIP LOCKED`, each moved to
   * `now + leaseMs`). Expired rows are not claimed; a row whose owner does not open (written under
   * a retired key) is taken out of the index, logged. At most 1000 per call (`MAX_UPKEEP_CLAIM`).
   */
  async claimDueGrants(now: number, limit: number, leaseMs: number): Promise<DueGrant[]> {
    const count = UpkeepEntry.claimCount(limit);
    if (count === 0 || !Number.isFinite(now)) return [];
    const leased = now + (Number.isNaN(leaseMs) ? 0 : Math.max(0, leaseMs));
    const { rows } = await this.guard.run((pool) =>
      pool.query<{ owner_key: string; provider: string; owner_ref: string | null }>(
        this.sql.claimDueGrants,
        [now, count, leased],
      ),
    );
    const due: DueGrant[] = [];
    const unreadable: Array<[string, string]> = [];
    for (const row of rows) {
      const name = UpkeepEntry.name(row.owner_key, row.provider);
      const ownerId =
        row.owner_ref === null
          ? undefined
          : UpkeepEntry.openOwner(this.cipher, name, row.owner_ref, this.logger);
      if (ownerId === undefined) unreadable.push([row.owner_key, row.provider]);
      else due.push({ ownerId, provider: row.provider });
    }
    for (const [owner, provider] of unreadable) {
      await this.write(this.sql.forgetUpkeep, [owner, provider, leased]);
    }
    return due;
  }

  async rescheduleUpkeep(
    ownerId: string,
    provider: string,
    upkeepAt: number | undefined,
  ): Promise<void> {
    const owner = StoreKeys.sessionDigest(ownerId);
    const [at, ownerRef] = this.upkeepColumns(ownerId, owner, provider, upkeepAt);
    await this.write(this.sql.rescheduleUpkeep, [owner, provider, at, ownerRef]);
  }

  async indexSession(sessionId: string, keys: string[], ttlMs: number): Promise<void> {
    const names = keys.map((key) => digest(key));
    await this.write(this.sql.indexSession, [names, StoreKeys.sessionDigest(sessionId), ttlMs]);
  }

  async deleteIndexedSessions(key: string): Promise<number> {
    const { rows } = await this.guard.run((pool) =>
      pool.query<{ live: boolean }>(this.sql.deleteIndexedSessions, [digest(key)]),
    );
    return rows.filter((row) => row.live).length;
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.write(this.sql.claimOnce, [digest(key), ttlMs])) === 1;
  }

  async putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void> {
    const { key, id } = transactionKey(tx.state);
    const sealed = sealRecord(this.cipher, key, tx);
    await this.write(this.sql.putTransaction, [id, sealed, ttlMs]);
  }

  async takeTransaction(state: string): Promise<LoginTransaction | undefined> {
    const { key, id } = transactionKey(state);
    const { rows } = await this.guard.run((pool) =>
      pool.query<{ record: string; live: boolean }>(this.sql.takeTransaction, [id]),
    );
    const row = rows[0];
    return row?.live ? openRecord(this.cipher, key, row.record, this.logger) : undefined;
  }

  /** `upkeep_at` (epoch ms) and `owner_ref` of a grant row: both NULL when upkeep never looks. */
  private upkeepColumns(
    ownerId: string,
    ownerDigest: string,
    provider: string,
    upkeepAt: number | undefined,
  ): [number | null, string | null] {
    const at = UpkeepEntry.dueAt(upkeepAt);
    if (at === undefined) return [null, null];
    const name = UpkeepEntry.name(ownerDigest, provider);
    return [at, UpkeepEntry.sealOwner(this.cipher, name, ownerId)];
  }

  private async read<T>(statement: string, args: unknown[], key: string): Promise<T | undefined> {
    const { rows } = await this.guard.run((pool) =>
      pool.query<{ record: string }>(statement, args),
    );
    return rows[0] ? openRecord<T>(this.cipher, key, rows[0].record, this.logger) : undefined;
  }

  private async write(statement: string, args: unknown[]): Promise<number> {
    const { rowCount } = await this.guard.run((pool) => pool.query(statement, args));
    this.cleanupNowAndThen();
    return rowCount ?? 0;
  }

  /** One bounded batch in the background, at most once per interval; a failure waits for the next. */
  private cleanupNowAndThen(): void {
    if (this.cleanupEveryMs <= 0 || this.cleaning) return;
    if (Date.now() - this.lastCleanup < this.cleanupEveryMs) return;
    this.cleaning = true;
    this.lastCleanup = Date.now();
    this.cleanup({ batchSize: 500, maxBatches: 1 })
      .catch(() => undefined)
      .finally(() => (this.cleaning = false));
  }
}

/** The record key of a state (sealed into the ciphertext) and its row id, the state's digest. */
function transactionKey(state: string): { key: string; id: string } {
  const key = StoreKeys.transaction(state);
  return { key, id: key.slice(key.indexOf(':') + 1) };
}
