import { GrantWaiters, type GrantWaitersOptions } from './grant-waiters';
import { grantSignal, type StoreNotifier } from './store-notifier.interface';

/**
 * A {@link StoreNotifier} for one process (the memory store): an announcement wakes the waits of
 * every `TokenService` sharing this notifier, synchronously, with no I/O.
 */
export class MemoryStoreNotifier implements StoreNotifier {
  private readonly waiters: GrantWaiters;

  constructor(options: GrantWaitersOptions = {}) {
    this.waiters = new GrantWaiters(options);
  }

  /** Waits registered now. */
  get waiting(): number {
    return this.waiters.size;
  }

  grantWritten(ownerId: string, provider: string): Promise<void> {
    this.waiters.wake(grantSignal(ownerId, provider));
    return Promise.resolve();
  }

  waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(grantSignal(ownerId, provider), timeoutMs);
  }

  close(): Promise<void> {
    this.waiters.close();
    return Promise.resolve();
  }
}
