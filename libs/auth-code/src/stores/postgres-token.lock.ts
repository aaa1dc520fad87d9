import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  describePostgresError,
  resolvePostgres,
  type PostgresConnectionOptions,
  type PostgresSource,
} from './postgres-connection';
import { PostgresGuard } from './postgres-guard';
import { postgresStoreTables, type PostgresStoreNaming } from './postgres-schema';
import { postgresStatements, type PostgresStatements } from './postgres-statements';
import type { TokenLock } from './token-store.interface';

/** Options of {@link PostgresTokenLock}. */
export interface PostgresTokenLockOptions extends PostgresConnectionOptions, PostgresStoreNaming {
  /** A `postgres://` URL, or a `pg` Pool (a `PostgresTokenStore`'s `pool`, to share it). */
  postgres: PostgresSource;
  /** Receives connection warnings. @default console */
  logger?: TokenLogger;
}

/**
 * A {@link TokenLock} shared by every instance, in the store's `locks` table: a row per held key
 * with a random owner and an `expires_at`. Taking it is one `INSERT … ON CONFLICT DO UPDATE …
 * WHERE expires_at <= now()` (free, or expired: a crashed holder's lock ends with its TTL, as in
 * Redis); releasing is a compare-and-delete on the owner, so a holder whose TTL ran out cannot
 * release its successor's lock. No session-bound advisory lock: it would pin a pool connection per
 * held lock and outlive a hung holder. Fails with `store_unavailable` (503) when PostgreSQL is
 * unreachable.
 */
export class PostgresTokenLock implements TokenLock {
  /** The `pg` Pool. */
  readonly pool: Pool;
  private readonly owned: boolean;
  private readonly guard: PostgresGuard;
  private readonly sql: PostgresStatements;

  constructor(options: PostgresTokenLockOptions) {
    const logger = options.logger ?? consoleTokenLogger;
    const tables = postgresStoreTables(options);
    ({ pool: this.pool, owned: this.owned } = resolvePostgres(options.postgres, options, (err) =>
      this.guard.failed(`PostgreSQL: ${describePostgresError(err)}`),
    ));
    this.guard = new PostgresGuard(this.pool, logger, tables);
    this.sql = postgresStatements(tables);
  }

  /** Ends the pool when this lock created it (from a URL). */
  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  async acquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomUUID();
    const { rowCount } = await this.guard.run((pool) =>
      pool.query(this.sql.acquireLock, [key, owner, ttlMs]),
    );
    return rowCount === 1 ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.guard.run((pool) => pool.query(this.sql.releaseLock, [key, owner]));
  }
}
