import type { Client, Pool } from 'pg';
import { loadOptional } from '../core/optional-dependency';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import { ChannelNotifier } from './channel-notifier';
import { describePostgresError, resolvePostgres, type PostgresSource } from './postgres-connection';
import { PostgresGuard } from './postgres-guard';
import { postgresStoreTables, type PostgresStoreNaming } from './postgres-schema';
import { digest } from './store-keys';

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
export class PostgresStoreNotifier extends ChannelNotifier {
  /** The channel announcements go to (see {@link postgresNotifyChannel}). */
  readonly channel: string;
  private readonly pool: Pool;
  private readonly owned: boolean;
  private readonly guard: PostgresGuard;
  private readonly maxDelayMs: number;
  private readonly loop: Promise<void>;
  private listener?: Client;
  private stopPause?: () => void;

  constructor(options: PostgresStoreNotifierOptions) {
    const logger = options.logger ?? consoleTokenLogger;
    super('PostgreSQL', logger, options.maxWaiters);
    const tables = postgresStoreTables(options);
    this.channel = postgresNotifyChannel(options);
    ({ pool: this.pool, owned: this.owned } = resolvePostgres(options.postgres, {}, (err) =>
      this.guard.failed(`PostgreSQL: ${describePostgresError(err)}`),
    ));
    this.guard = new PostgresGuard(this.pool, logger, tables);
    this.maxDelayMs = options.maxReconnectDelayMs ?? 1000;
    this.loop = this.keepListening();
  }

  protected async publish(signal: string): Promise<void> {
    await this.guard.run((pool) => pool.query('SELECT pg_notify($1, $2)', [this.channel, signal]));
  }

  /** Ends the listening client (and its reconnect loop), and the pool when it made it. */
  protected async closeChannel(): Promise<void> {
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
        this.lost(describePostgresError(err));
        await client.end().catch(() => undefined);
      }
      this.listener = undefined;
      this.lost();
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
      if (m.channel === this.channel && m.payload) this.wake(m.payload);
    });
    client.on('error', (err) => this.lost(describePostgresError(err)));
    return client;
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
