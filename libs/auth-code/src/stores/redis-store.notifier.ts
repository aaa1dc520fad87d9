import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import { ChannelNotifier } from './channel-notifier';
import {
  closeRedis,
  describeRedisError,
  resolveRedis,
  type RedisClient,
  type RedisConnectionOptions,
  type RedisSource,
} from './redis-connection';
import { RedisGuard } from './redis-guard';

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
export class RedisStoreNotifier extends ChannelNotifier {
  /** The channel announcements go to. */
  readonly channel: string;
  private readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly guard: RedisGuard;
  private readonly subscriber: RedisClient;

  constructor(options: RedisStoreNotifierOptions) {
    const logger = options.logger ?? consoleTokenLogger;
    super('Redis', logger, options.maxWaiters);
    this.channel = `${options.keyPrefix ?? 'auth-code:'}grant-written`;
    ({ client: this.client, owned: this.owned } = resolveRedis(options.redis, options, logger));
    this.guard = new RedisGuard(this.client, 2000);
    this.subscriber = this.client.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.wake(message);
    });
    this.subscriber.on('error', (err: Error) => this.lost(describeRedisError(err)));
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('ready', () => this.subscribe());
    if (this.subscriber.status === 'wait') this.subscriber.connect().catch(() => undefined);
    else if (this.subscriber.status === 'ready') this.subscribe();
  }

  protected async publish(signal: string): Promise<void> {
    await this.guard.run((r) => r.publish(this.channel, signal));
  }

  /** Closes the subscriber connection, and the client when it made it. */
  protected async closeChannel(): Promise<void> {
    await closeRedis(this.subscriber);
    if (this.owned) await closeRedis(this.client);
  }

  private subscribe(): void {
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => this.listened(),
      (err: unknown) => this.lost(describeRedisError(err)),
    );
  }
}
