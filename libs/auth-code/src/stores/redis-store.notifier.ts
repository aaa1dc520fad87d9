import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import { GrantWaiters } from './grant-waiters';
import {
  closeRedis,
  describeRedisError,
  resolveRedis,
  type RedisClient,
  type RedisConnectionOptions,
  type RedisSource,
} from './redis-connection';
import { RedisGuard } from './redis-guard';
import { grantSignal, type StoreNotifier } from './store-notifier.interface';

/** Options of {@link RedisStoreNotifier}. */
export interface RedisStoreNotifierOptions extends RedisConnectionOptions {
  /**
   * The store's client (a `RedisTokenStore`'s `client`: announcements go out on it) or a Redis /
   * Redis Cluster URL (connected with the connection options). Either way the subscription runs
   * on a `duplicate()` of it, one per notifier, reconnecting as the client does.
   */
  redis: RedisSource;
  /** Start of the channel name (`<prefix>grant-written`): the store's key prefix. @default 'auth-code:' */
  keyPrefix?: string;
  /** Most waits registered at once; past it a wait is a plain timeout. @default 10000 */
  maxWaiters?: number;
  /** Receives subscription outages and their end. @default console */
  logger?: TokenLogger;
}

/**
 * A {@link StoreNotifier} on Redis pub/sub, for single Redis and Redis Cluster (classic `PUBLISH`
 * reaches the subscribers of every node). Announcements are a `PUBLISH <prefix>grant-written
 * <signal>` on the store's connection; each notifier holds one dedicated subscriber connection (a
 * `duplicate()`, reconnecting by itself). While it is down, waits end with their timeout.
 */
export class RedisStoreNotifier implements StoreNotifier {
  /** The channel announcements go to. */
  readonly channel: string;
  private readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly guard: RedisGuard;
  private readonly subscriber: RedisClient;
  private readonly waiters: GrantWaiters;
  private readonly logger: TokenLogger;
  private subscribed = false;
  private down = false;
  private closed = false;
  private readonly onListening = new Set<() => void>();

  constructor(options: RedisStoreNotifierOptions) {
    this.logger = options.logger ?? consoleTokenLogger;
    this.channel = `${options.keyPrefix ?? 'auth-code:'}grant-written`;
    ({ client: this.client, owned: this.owned } = resolveRedis(
      options.redis,
      options,
      this.logger,
    ));
    this.guard = new RedisGuard(this.client, 2000);
    this.waiters = new GrantWaiters({ maxWaiters: options.maxWaiters });
    this.subscriber = this.client.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.waiters.wake(message);
    });
    this.subscriber.on('error', (err: Error) => this.lost(err));
    this.subscriber.on('close', () => this.lost(undefined));
    this.subscriber.on('ready', () => this.subscribe());
    if (this.subscriber.status === 'wait') this.subscriber.connect().catch(() => undefined);
    else if (this.subscriber.status === 'ready') this.subscribe();
  }

  /** Whether the subscription is active now (announcements from elsewhere reach this instance). */
  get listening(): boolean {
    return this.subscribed;
  }

  /** Resolves once the subscription is active (at once when it is). */
  whenListening(): Promise<void> {
    if (this.subscribed || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.onListening.add(resolve));
  }

  async grantWritten(ownerId: string, provider: string): Promise<void> {
    if (this.closed) return;
    const signal = grantSignal(ownerId, provider);
    await this.guard.run((r) => r.publish(this.channel, signal));
  }

  waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(grantSignal(ownerId, provider), timeoutMs);
  }

  /** Ends pending waits, closes the subscriber connection, and the client when it made it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.close();
    for (const resolve of this.onListening) resolve();
    this.onListening.clear();
    await closeRedis(this.subscriber);
    if (this.owned) await closeRedis(this.client);
  }

  private subscribe(): void {
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => {
        this.subscribed = true;
        if (this.down) this.logger.warn('Redis grant notifications restored');
        this.down = false;
        for (const resolve of this.onListening) resolve();
        this.onListening.clear();
      },
      (err: unknown) => this.lost(err),
    );
  }

  private lost(err: unknown): void {
    this.subscribed = false;
    if (this.closed || this.down || err === undefined) return;
    this.down = true;
    this.logger.warn(
      `Redis grant notifications lost (${describeRedisError(err)}); waiting callers poll the store until they are back`,
    );
  }
}
