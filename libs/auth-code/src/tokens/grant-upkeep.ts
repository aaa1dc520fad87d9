import { LoginRequiredError } from '../errors/auth-code.errors';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import type { DueGrant, TokenStore } from '../stores/token-store.interface';
import type { TokenService } from './token.service';

/** Most grants whose failure streak is remembered (for their backoff). */
const MAX_TRACKED_FAILURES = 10_000;

/** Options of {@link GrantUpkeep}. */
export interface GrantUpkeepOptions {
  /** Time between two rounds, ms (`AUTH_UPKEEP_INTERVAL_SECONDS` × 1000). @default 300000 */
  intervalMs?: number;
  /** Up to this share of the interval is added at random to each pause, so instances spread out. @default 0.2 */
  jitter?: number;
  /** Grants claimed per store call. @default 100 */
  batchSize?: number;
  /** Grants refreshed at the same time by one instance. @default 8 */
  concurrency?: number;
  /**
   * How long a claimed grant is hidden from other instances' claims, ms: longer than a refresh
   * with its retries. @default 5 minutes
   */
  leaseMs?: number;
  /** Longest pause before a grant whose provider was down is tried again, ms. @default 1 hour */
  maxBackoffMs?: number;
  /** Most batches per round (a round then ends, the rest waits for the next one). @default 100 */
  maxBatchesPerRound?: number;
  /** Warnings: provider down, store unreachable. @default console */
  logger?: TokenLogger;
  /** Clock (tests). @default Date.now */
  now?: () => number;
  /** Random source in [0, 1) (tests). @default Math.random */
  random?: () => number;
  /** Also run after each round, e.g. the PostgreSQL store's expiry cleanup. */
  afterRound?: () => Promise<unknown>;
}

/** What one {@link GrantUpkeep.runOnce} round did. */
export interface UpkeepRound {
  /** Grants claimed from the store. */
  claimed: number;
  /** Grants refreshed (here, or joined to another instance's refresh of the same grant). */
  refreshed: number;
  /** Grants that were not due after all (refreshed meanwhile) and went back on the schedule. */
  rescheduled: number;
  /** Claimed entries whose grant had gone. */
  gone: number;
  /** Grants found dead: dropped, marked `login_required` and reported once. */
  dead: number;
  /** Grants whose provider (or the store) failed for now: tried again later, with backoff. */
  failed: number;
}

/**
 * Background upkeep (`AUTH_UPKEEP=on`): every interval (with jitter), claims the grants whose
 * access token is due (user-scoped) or whose refresh token nears its own expiry, and refreshes
 * each through the {@link TokenService} — the same lock and compare-and-set as a request, so that
 * with several instances every due grant is refreshed by exactly one of them. A dead refresh
 * token ends as `login_required`, reported once and never retried; a provider that is down is
 * tried again later, with exponential backoff per grant.
 */
export class GrantUpkeep {
  private readonly o: Required<Omit<GrantUpkeepOptions, 'afterRound'>> &
    Pick<GrantUpkeepOptions, 'afterRound'>;
  private readonly failures = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<UpkeepRound>;
  private stopped = true;

  constructor(
    private readonly tokens: Pick<TokenService, 'upkeep'>,
    private readonly store: Pick<TokenStore, 'claimDueGrants' | 'rescheduleUpkeep'>,
    options: GrantUpkeepOptions = {},
  ) {
    this.o = {
      intervalMs: options.intervalMs ?? 300_000,
      jitter: options.jitter ?? 0.2,
      batchSize: options.batchSize ?? 100,
      concurrency: options.concurrency ?? 8,
      leaseMs: options.leaseMs ?? 300_000,
      maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
      maxBatchesPerRound: options.maxBatchesPerRound ?? 100,
      logger: options.logger ?? consoleTokenLogger,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
      afterRound: options.afterRound,
    };
  }

  /** Whether the store can do upkeep (it implements the upkeep index). */
  get supported(): boolean {
    return typeof this.store.claimDueGrants === 'function';
  }

  /** Starts the rounds; the first one after a random part of the interval. */
  start(): void {
    if (!this.supported || !this.stopped) return;
    this.stopped = false;
    this.schedule(this.o.random() * this.o.intervalMs * Math.max(this.o.jitter, 0.1));
  }

  /** Stops the rounds and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs one round now (also what the timer runs); one round at a time per instance. */
  runOnce(): Promise<UpkeepRound> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((err: Error) => this.o.logger.warn(`Token upkeep round failed (${err.message})`))
        .finally(() => this.schedule(this.o.intervalMs * (1 + this.o.random() * this.o.jitter)));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<UpkeepRound> {
    const done: UpkeepRound = {
      claimed: 0,
      refreshed: 0,
      rescheduled: 0,
      gone: 0,
      dead: 0,
      failed: 0,
    };
    for (let batch = 0; batch < this.o.maxBatchesPerRound; batch++) {
      const due = await this.store.claimDueGrants!(this.o.now(), this.o.batchSize, this.o.leaseMs);
      done.claimed += due.length;
      await this.each(due, (grant) => this.keep(grant, done));
      if (due.length < this.o.batchSize || this.stopped) break;
    }
    await this.o.afterRound?.();
    return done;
  }

  private async keep(grant: DueGrant, done: UpkeepRound): Promise<void> {
    const key = `${grant.ownerId}\0${grant.provider}`;
    try {
      done[await this.tokens.upkeep(grant.ownerId, grant.provider)]++;
      this.failures.delete(key);
    } catch (err) {
      if (err instanceof LoginRequiredError) {
        // dropped and reported by the token service (or gone meanwhile): never retried
        done.dead++;
        this.failures.delete(key);
        return;
      }
      done.failed++;
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.delete(key);
      // bounded: a provider down for everyone must not grow this without limit
      if (this.failures.size >= MAX_TRACKED_FAILURES) {
        this.failures.delete(this.failures.keys().next().value as string);
      }
      this.failures.set(key, n);
      const pause = Math.min(this.o.maxBackoffMs, this.o.intervalMs * 2 ** (n - 1));
      this.o.logger.warn(
        `Token upkeep of a ${grant.provider} grant failed (${(err as Error).message.slice(0, 300)}); next try in ${Math.round(pause / 1000)} s`,
      );
      await this.store
        .rescheduleUpkeep?.(grant.ownerId, grant.provider, this.o.now() + pause)
        .catch(() => undefined);
    }
  }

  private async each<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(this.o.concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    });
    await Promise.all(lanes);
  }
}
