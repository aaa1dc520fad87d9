/** Options of {@link GrantWaiters}. */
export interface GrantWaitersOptions {
  /**
   * Most waits registered at once (one per grant being refreshed elsewhere, per process); a wait
   * past it is a plain timeout (polling). @default 10000
   */
  maxWaiters?: number;
}

interface Waiter {
  resolve(woken: boolean): void;
  timer: NodeJS.Timeout;
}

/**
 * The waits of one notifier, by grant signal: one map, each wait removed when it is woken or
 * times out, so the map only ever holds waits in progress.
 */
export class GrantWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private readonly maxWaiters: number;
  private count = 0;
  private closed = false;

  constructor(options: GrantWaitersOptions = {}) {
    this.maxWaiters = options.maxWaiters ?? 10_000;
  }

  /** Waits registered now. */
  get size(): number {
    return this.count;
  }

  /** Resolves `true` when {@link wake} is called for `signal`, `false` after `timeoutMs`. */
  wait(signal: string, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (this.closed || this.count >= this.maxWaiters) {
        setTimeout(() => resolve(false), Math.max(0, timeoutMs));
        return;
      }
      let set = this.waiting.get(signal);
      if (!set) this.waiting.set(signal, (set = new Set()));
      const waiters = set;
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(
          () => {
            this.remove(signal, waiters, waiter);
            resolve(false);
          },
          Math.max(0, timeoutMs),
        ),
      };
      waiters.add(waiter);
      this.count++;
    });
  }

  /** Wakes every wait for `signal` (an unknown signal is ignored). */
  wake(signal: string): void {
    const waiters = this.waiting.get(signal);
    if (!waiters) return;
    this.waiting.delete(signal);
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      this.count--;
      waiter.resolve(true);
    }
  }

  /** Ends every wait with `false`; later waits are plain timeouts. */
  close(): void {
    this.closed = true;
    for (const [signal, waiters] of this.waiting) {
      this.waiting.delete(signal);
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        this.count--;
        waiter.resolve(false);
      }
    }
  }

  private remove(signal: string, waiters: Set<Waiter>, waiter: Waiter): void {
    if (!waiters.delete(waiter)) return;
    this.count--;
    if (waiters.size === 0 && this.waiting.get(signal) === waiters) this.waiting.delete(signal);
  }
}
