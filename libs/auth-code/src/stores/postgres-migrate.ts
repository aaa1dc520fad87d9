import type { Pool } from 'pg';
import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  resolvePostgres,
  type PostgresConnectionOptions,
  type PostgresSource,
} from './postgres-connection';
import { PostgresGuard } from './postgres-guard';
import {
  migrationsTableSql,
  POSTGRES_STORE_MIGRATIONS,
  postgresStoreTables,
  type PostgresStoreNaming,
  type PostgresStoreTables,
} from './postgres-schema';

/** Options of {@link migratePostgresTokenStore}. */
export interface PostgresMigrateOptions extends PostgresStoreNaming, PostgresConnectionOptions {
  /** Receives one line per applied step. @default console */
  logger?: TokenLogger;
}

/** What {@link migratePostgresTokenStore} did. */
export interface PostgresMigrateResult {
  /** Schema version before. 0: the tables did not exist. */
  from: number;
  /** Schema version after. */
  to: number;
}

/**
 * Creates or upgrades the PostgreSQL store's schema: the schema, the tables and indexes of every
 * migration not applied yet, each step in one transaction, recorded in `<prefix>schema_migrations`.
 * Safe to run from several instances at once (they take turns on an advisory lock) and again and
 * again (a no-op once current). Throws {@link ConfigurationError} when the database's schema is
 * newer than this library knows, `ServiceUnavailableError` when PostgreSQL cannot be reached.
 *
 * Run it from your deploy step (`AUTH_STORE_MIGRATE=off` in production), or let the module run it
 * at start-up (`AUTH_STORE_MIGRATE=auto`, the default outside production).
 */
export async function migratePostgresTokenStore(
  source: PostgresSource,
  options: PostgresMigrateOptions = {},
): Promise<PostgresMigrateResult> {
  const tables = postgresStoreTables(options);
  const logger = options.logger ?? consoleTokenLogger;
  const { pool, owned } = resolvePostgres(source, options, () => undefined);
  try {
    return await new PostgresGuard(pool, logger, tables).run((p) => migrate(p, tables, logger));
  } finally {
    if (owned) await pool.end();
  }
}

async function migrate(
  pool: Pool,
  t: PostgresStoreTables,
  logger: TokenLogger,
): Promise<PostgresMigrateResult> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    // One migrator at a time per schema and prefix; the lock ends with the transaction.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `nestjs-auth-code:${t.schema}.${t.prefix}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`);
    await client.query(migrationsTableSql(t));
    const { rows } = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${t.migrations}`,
    );
    const from = rows[0]?.v ?? 0;
    const known = POSTGRES_STORE_MIGRATIONS.at(-1)!.version;
    if (from > known) throw tooNew(from, known);
    for (const step of POSTGRES_STORE_MIGRATIONS.filter((m) => m.version > from)) {
      await client.query(step.sql(t));
      await client.query(`INSERT INTO ${t.migrations} (version, description) VALUES ($1, $2)`, [
        step.version,
        step.description,
      ]);
      logger.warn(`PostgreSQL token store schema migrated to version ${step.version}`);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, known) };
  } catch (err) {
    broken = err;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release(broken instanceof ConfigurationError ? undefined : (broken as Error));
  }
}

function tooNew(found: number, known: number): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    operation: 'config',
    message: Messages.postgresSchemaTooNew(found, known),
  });
}
