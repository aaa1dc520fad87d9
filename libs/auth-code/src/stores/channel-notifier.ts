import type { TokenLogger } from '../core/token-logger';
import { GrantWaiters } from './grant-waiters';
import { grantSignal, type StoreNotifier } from './store-notifier.interface';

/**
 * What the notifiers on a server channel (Redis pub/sub, PostgreSQL `LISTEN`) share: the waits,
 * whether the channel listens now, and one warning per outage and one at its end. A subclass
 * publishes, starts listening, calls {@link listened} / {@link lost} and {@link wake}.
 */
export abstract class ChannelNotifier implements StoreNotifier {
  private readonly waiters: GrantWaiters;
  private subscribed = false;
  private down = false;
  private ended = false;
  private readonly onListening = new Set<() => void>();

  protected constructor(
    /** The server's name in warnings (`Redis`, `PostgreSQL`). */
    private readonly server: string,
    protected readonly logger: TokenLogger,
    maxWaiters: number | undefined,
  ) {
    this.waiters = new GrantWaiters({ maxWaiters });
  }

  /** Whether the channel listens now (announcements from elsewhere reach this instance). */
  get listening(): boolean {
    return this.subscribed;
  }

  /** Resolves once the channel listens (at once when it does, or when closed). */
  whenListening(): Promise<void> {
    if (this.subscribed || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.onListening.add(resolve));
  }

  async grantWritten(ownerId: string, provider: string): Promise<void> {
    if (this.ended) return;
    await this.publish(grantSignal(ownerId, provider));
  }

  waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(grantSignal(ownerId, provider), timeoutMs);
  }

  /** Ends pending waits (false), then the subclass's connections. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.waiters.close();
    this.settle();
    await this.closeChannel();
  }

  /** Whether {@link close} was called. */
  protected get closed(): boolean {
    return this.ended;
  }

  /** Sends `signal` on the channel. */
  protected abstract publish(signal: string): Promise<void>;

  /** Closes the subclass's connections. */
  protected abstract closeChannel(): Promise<void>;

  /** A signal came in on the channel. */
  protected wake(signal: string): void {
    this.waiters.wake(signal);
  }

  /** The channel listens (again). */
  protected listened(): void {
    if (this.down) this.logger.warn(`${this.server} grant notifications restored`);
    this.down = false;
    this.subscribed = true;
    this.settle();
  }

  /** The channel stopped listening; `reason` (no key, no value) is reported once per outage. */
  protected lost(reason?: string): void {
    this.subscribed = false;
    if (this.ended || this.down || reason === undefined) return;
    this.down = true;
    this.logger.warn(
      `${this.server} grant notifications lost (${reason}); waiting callers poll the store until they are back`,
    );
  }

  private settle(): void {
    for (const resolve of this.onListening) resolve();
    this.onListening.clear();
  }
}
