/**
 * Shares one in-flight promise per key: while a call for `key` is running, later callers get the
 * same promise instead of starting their own. The entry is removed when the promise settles, so
 * the map never outgrows the number of calls in flight.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, { promise: Promise<T>; joined: number }>();

  /**
   * Runs `fn` for `key`, or joins the run already in flight. `fn` is given a function that tells
   * how many callers have joined its run so far (telemetry's `refresh.waiters`).
   */
  run(key: string, fn: (joined: () => number) => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) {
      running.joined++;
      return running.promise;
    }
    const entry = { promise: undefined as unknown as Promise<T>, joined: 0 };
    entry.promise = Promise.resolve()
      .then(() => fn(() => entry.joined))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, entry);
    return entry.promise;
  }

  /** Number of keys with a call in flight. */
  get size(): number {
    return this.inflight.size;
  }
}
