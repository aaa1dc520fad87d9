import type { Pool } from 'pg';
import { ConfigurationError, ServiceUnavailableError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import type { TokenLogger } from '../core/token-logger';
import { describePostgresError } from './postgres-connection';
import type { PostgresStoreTables } from './postgres-schema';

/** SQLSTATE of a statement naming a table that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** Outage state per pool: a store and a lock sharing one pool report an outage once, not twice. */
const outages = new WeakMap<Pool, { down: boolean }>();

/**
 * Runs store statements so that every PostgreSQL failure surfaces as one typed error, within the
 * pool's bounded connect and statement timeouts: `ServiceUnavailableError` `store_unavailable`
 * (503), never a wait without end and never a fallback. An outage is reported once, and its end.
 */
export class PostgresGuard {
  private readonly outage: { down: boolean };

  constructor(
    private readonly pool: Pool,
    private readonly logger: TokenLogger,
    private readonly tables: PostgresStoreTables,
  ) {
    this.outage = outages.get(pool) ?? { down: false };
    outages.set(pool, this.outage);
  }

  /** Runs `fn`; any failure but a {@link ConfigurationError} becomes `store_unavailable` (503). */
  async run<T>(fn: (pool: Pool) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await fn(this.pool);
    } catch (err) {
      if (err instanceof ServiceUnavailableError || err instanceof ConfigurationError) throw err;
      const reason = this.reasonOf(err);
      this.failed(reason);
      throw new ServiceUnavailableError({
        code: 'store_unavailable',
        operation: 'store',
        message: Messages.storeUnavailable(reason),
        cause: err,
      });
    }
    if (this.outage.down) {
      this.outage.down = false;
      this.logger.warn('PostgreSQL token store works again');
    }
    return result;
  }

  /** Reports a failure outside a call (an idle connection's error), once per outage. */
  failed(reason: string): void {
    if (this.outage.down) return;
    this.outage.down = true;
    this.logger.warn(`PostgreSQL token store failed (${reason})`);
  }

  private reasonOf(err: unknown): string {
    if ((err as { code?: string })?.code === UNDEFINED_TABLE) {
      return Messages.postgresSchemaMissing(this.tables.schema, this.tables.prefix);
    }
    return `PostgreSQL: ${describePostgresError(err)}`;
  }
}
