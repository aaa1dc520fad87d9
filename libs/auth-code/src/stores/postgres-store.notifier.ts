import type { Client, Pool } from 'pg';
import { loadOptional } from '../core/optional-dependency';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import { GrantWaiters } from './grant-waiters';
import { describePostgresError, resolvePostgres, type PostgresSource } from './postgres-connection';
import { PostgresGuard } from './postgres-guard';
import { postgresStoreTables, type PostgresStoreNaming } from './postgres-schema';
import { digest } from './store-keys';
import { grantSignal, type StoreNotifier } from './store-notifier.interface';

/** Options of {@link PostgresStoreNotifier}. */
export interface PostgresStoreNotifierOptions extends PostgresStoreNaming {
  /**
   * The store's pool (a `PostgresTokenStore`'s `pool`: announcements go out on it) or a URL. The
   * `LISTEN` runs on one dedicated client opened with the pool's settings, outside the pool.
   */
  postgres: PostgresSource;
  /** Most waits registered at once; past it a wait is a plain timeout. @default 10000 */
  maxWaiters?: number;
  /** Longest pause between reconnect attempts of the listening client, in ms. @default 1000 */
  maxReconnectDelayMs?: number;
  /** Receives listener outages and their end. @default console */
  logger?: TokenLogger;
}

/** PostgreSQL's longest identifier (NAMEDATALEN - 1); `pg_notify` refuses longer channel names. */
const MAX_CHANNEL = 63;

/**
 * The notification channel of a store's tables: `<schema>.<prefix>grant_written`, or, when that
 * is longer than PostgreSQL allows, a name cut short with a digest of the whole so two namings
 * never share a channel.
 */
export function postgresNotifyChannel(naming: PostgresStoreNaming = {}): string {
  const { schema, prefix } = postgresStoreTables(naming);
  const name = `${schema}.${prefix}grant_written`;
  if (name.length <= MAX_CHANNEL) return name;
  return `${name.slice(0, MAX_CHANNEL - 17)}_${digest(name).slice(0, 16)}`;
}

/**
 * A {@link StoreNotifier} on PostgreSQL `LISTEN`/`NOTIFY`: announcements are a `pg_notify(channel,
 * signal)` on the store's pool; each notifier holds one dedicated listening client that reconnects
 * by itself (backoff from 50 ms). While it is down, waits end with their timeout.
 */
export class PostgresStoreNotifier implements StoreNotifier {
  /** The channel announcements go to (see {@link postgresNotifyChannel}). */
  readonly channel: string;
  private readonly pool: Pool;
  private readonly owned: boolean;
  private readonly guard: PostgresGuard;
  private readonly waiters: GrantWaiters;
  private readonly logger: TokenLogger;
  private readonly maxDelayMs: number;
  private readonly loop: Promise<void>;
  private listener?: Client;
  private subscribed = false;
  private down = false;
  private closed = false;
  private stopPause?: () => void;
  private readonly onListening = new Set<() => void>();

  constructor(options: PostgresStoreNotifierOptions) {
    this.logger = options.logger ?? consoleTokenLogger;
    const tables = postgresStoreTables(options);
    this.channel = postgresNotifyChannel(options);
    ({ pool: this.pool, owned: this.owned } = resolvePostgres(options.postgres, {}, (err) =>
      this.guard.failed(`PostgreSQL: ${describePostgresError(err)}`),
    ));
    this.guard = new PostgresGuard(this.pool, this.logger, tables);
    this.waiters = new GrantWaiters({ maxWaiters: options.maxWaiters });
    this.maxDelayMs = options.maxReconnectDelayMs ?? 1000;
    this.loop = this.keepListening();
  }

  /** Whether the `LISTEN` is active now (announcements from elsewhere reach this instance). */
  get listening(): boolean {
    return this.subscribed;
  }

  /** Resolves once the `LISTEN` is active (at once when it is). */
  whenListening(): Promise<void> {
    if (this.subscribed || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.onListening.add(resolve));
  }

  async grantWritten(ownerId: string, provider: string): Promise<void> {
    if (this.closed) return;
    const signal = grantSignal(ownerId, provider);
    await this.guard.run((pool) => pool.query('SELECT pg_notify($1, $2)', [this.channel, signal]));
  }

  waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(grantSignal(ownerId, provider), timeoutMs);
  }

  /** Ends pending waits and the listening client, and the pool when it made it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.close();
    this.settleListening();
    this.stopPause?.();
    await this.listener?.end().catch(() => undefined);
    await this.loop;
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  /** Connects, listens until the connection ends, and starts again after a pause, until closed. */
  private async keepListening(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const client = this.newClient();
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      try {
        await client.connect();
        // the channel is built from checked names ([a-z0-9_.]) only: quoting is enough
        await client.query(`LISTEN "${this.channel}"`);
        this.listener = client;
        this.listened();
        attempt = 0;
        if (this.closed) await client.end();
        await ended;
      } catch (err) {
        this.lost(err);
        await client.end().catch(() => undefined);
      }
      this.listener = undefined;
      this.subscribed = false;
      if (!this.closed)
        await this.pause(Math.min(50 * 2 ** Math.min(attempt, 10), this.maxDelayMs));
    }
  }

  private newClient(): Client {
    const pg = loadOptional<typeof import('pg')>(
      'pg',
      'A PostgreSQL token store (AUTH_STORE=postgres://…)',
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
      () => require('pg'),
    );
    // pg-pool keeps the password out of enumerable properties (out of logs): copied by name
    const settings = this.pool.options;
    const client = new pg.Client({ ...settings, password: settings.password, keepAlive: true });
    client.on('notification', (m) => {
      if (m.channel === this.channel && m.payload) this.waiters.wake(m.payload);
    });
    client.on('error', (err) => this.lost(err));
    return client;
  }

  private listened(): void {
    if (this.down) this.logger.warn('PostgreSQL grant notifications restored');
    this.down = false;
    this.subscribed = true;
    this.settleListening();
  }

  private settleListening(): void {
    for (const resolve of this.onListening) resolve();
    this.onListening.clear();
  }

  private lost(err: unknown): void {
    this.subscribed = false;
    if (this.closed || this.down) return;
    this.down = true;
    this.logger.warn(
      `PostgreSQL grant notifications lost (${describePostgresError(err)}); waiting callers poll the store until they are back`,
    );
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.stopPause = done;
    });
  }
}
