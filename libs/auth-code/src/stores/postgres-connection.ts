import type { Pool } from 'pg';
import { loadOptional } from '../core/optional-dependency';

/** Connection options of the PostgreSQL store and lock, all about failing fast. */
export interface PostgresConnectionOptions {
  /** Getting a connection (from the pool, or a new one) gives up after this long, in ms. @default 2000 */
  connectTimeoutMs?: number;
  /** A statement that gets no answer fails after this long, in ms (client and server side). @default 2000 */
  queryTimeoutMs?: number;
  /** Most connections of the pool. @default 10 */
  maxConnections?: number;
}

/** A PostgreSQL connection: a `postgres://` / `postgresql://` URL, or a `pg` Pool you own and configure. */
export type PostgresSource = string | Pool;

/** Whether `url` names a PostgreSQL database (`postgres://…` or `postgresql://…`). */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/**
 * Creates a `pg` Pool that fails fast: a connection that cannot be had within `connectTimeoutMs`
 * and a statement unanswered within `queryTimeoutMs` fail the call (503), a broken connection is
 * dropped, and a new one is opened on the next call, so the store recovers by itself.
 */
export function createPostgresPool(url: string, options: PostgresConnectionOptions = {}): Pool {
  // pg is an optional peer: loaded only now, when a PostgreSQL store is really configured.
  const pg = loadOptional<typeof import('pg')>(
    'pg',
    'A PostgreSQL token store (AUTH_STORE=postgres://…)',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
    () => require('pg'),
  );
  const queryTimeout = options.queryTimeoutMs ?? 2000;
  return new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
    idleTimeoutMillis: 30_000,
    application_name: 'nestjs-auth-code',
  });
}

/** Pools {@link resolvePostgres} already listens on. */
const watched = new WeakSet<Pool>();

/**
 * Resolves a {@link PostgresSource}: a URL gets a fail-fast pool owned by the caller (close it), a
 * given pool is used as it is. Either way an idle connection's error (the server restarted) is
 * passed to `onIdleError` instead of crashing the process as an unhandled `'error'` event.
 */
export function resolvePostgres(
  source: PostgresSource,
  options: PostgresConnectionOptions,
  onIdleError: (err: unknown) => void,
): { pool: Pool; owned: boolean } {
  const owned = typeof source === 'string';
  const pool = owned ? createPostgresPool(source, options) : source;
  if (!watched.has(pool)) {
    watched.add(pool);
    pool.on('error', onIdleError);
  }
  return { pool, owned };
}

/** A short reason for a PostgreSQL failure that names no value. */
export function describePostgresError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (/timeout|timed out/i.test(message)) return 'no answer in time';
  // SQLSTATE (five characters) with the server's message: names tables, never parameter values.
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return `${e.code} ${message.slice(0, 120)}`;
  }
  if (e?.code) return e.code;
  if (message.includes('Connection terminated')) return 'connection lost';
  return message.slice(0, 120);
}
