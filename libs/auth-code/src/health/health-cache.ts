/**
 * Results of recent checks by name: a result is reused for `maxAgeMs` after it was made, and
 * checks of one name that overlap share one run. A public health route costs the store and the
 * providers at most one check per name per interval, however often it is asked.
 */
export class HealthCache<T> {
  private readonly done = new Map<string, { value: T; at: number }>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The result of `name` no older than `maxAgeMs`, running `check` when there is none. */
  get(name: string, maxAgeMs: number, check: () => Promise<T>): Promise<T> {
    const done = this.done.get(name);
    if (done && this.now() - done.at < maxAgeMs) return Promise.resolve(done.value);
    const running = this.running.get(name);
    if (running) return running;
    const run = check()
      .then((value) => {
        this.done.set(name, { value, at: this.now() });
        return value;
      })
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }
}
