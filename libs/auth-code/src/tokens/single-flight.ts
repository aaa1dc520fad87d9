/**
 * Shares one in-flight promise per key: while a call for `key` is running, later callers get the
 * same promise instead of starting their own. The entry is removed when the promise settles, so
 * the map never outgrows the number of calls in flight.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  /** Runs `fn` for `key`, or joins the run already in flight. */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running;
    const started = Promise.resolve()
      .then(fn)
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  /** Number of keys with a call in flight. */
  get size(): number {
    return this.inflight.size;
  }
}
