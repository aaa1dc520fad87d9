import { AuthCodeError } from '../errors/auth-code.errors';
import type { AuthTelemetry, OperationAttributes, RefreshOutcome } from './telemetry';

/**
 * What the refresh coordinator reports about the refresh of (session, provider) it is running:
 * - `upstream`: it calls the provider's token endpoint (once per attempt);
 * - `joined`: it returns another writer's newer grant instead (another instance refreshed);
 * - `busy`: it gives up waiting for another instance's refresh.
 */
export type RefreshEvent = 'upstream' | 'joined' | 'busy';

/** Receives {@link RefreshEvent}s; a no-op for a refresh nobody traces. */
export interface RefreshObserver {
  /** One event of the refresh of `provider`'s grant in session `sessionId`. */
  note(sessionId: string, provider: string, event: RefreshEvent): void;
}

interface Running {
  upstream: number;
  joined: boolean;
  busy: boolean;
}

/**
 * Traces coordinated refreshes as the `refresh` operation: one span per refresh this process
 * runs, with `refresh.waiters` (the callers in this process that shared it), `refresh.outcome`
 * and `refresh.attempts`. An instance that waits for another instance's refresh runs its own
 * span, whose outcome is `joined`: across instances, the waiters of one refresh are the holder's
 * `refresh.waiters` plus each joined span and its own waiters.
 *
 * The running refreshes are kept by session id and provider only while they run, in memory;
 * the session id never reaches a span.
 */
export class RefreshTelemetry implements RefreshObserver {
  private readonly running = new Map<string, Running>();

  constructor(private readonly telemetry: AuthTelemetry) {}

  note(sessionId: string, provider: string, event: RefreshEvent): void {
    const run = this.running.get(keyOf(sessionId, provider));
    if (!run) return;
    if (event === 'upstream') run.upstream++;
    else run[event] = true;
  }

  /**
   * Runs one coordinated refresh `fn` as the `refresh` operation.
   * @param waiters how many callers have joined this refresh so far (read when it ends)
   */
  run<T extends { refreshed: boolean }>(
    sessionId: string,
    provider: string,
    waiters: () => number,
    fn: () => Promise<T>,
  ): Promise<T> {
    if (!this.telemetry.enabled) return fn();
    return this.telemetry.operation('refresh', provider, async (span) => {
      const key = keyOf(sessionId, provider);
      const run: Running = { upstream: 0, joined: false, busy: false };
      this.running.set(key, run);
      const report = (outcome: RefreshOutcome): OperationAttributes => ({
        'refresh.outcome': outcome,
        'refresh.waiters': waiters(),
        'refresh.attempts': run.upstream,
      });
      try {
        const result = await fn();
        span.set(report(!result.refreshed ? 'still_valid' : run.joined ? 'joined' : 'refreshed'));
        return result;
      } catch (err) {
        span.set(report(failureOutcome(err, run)));
        throw err;
      } finally {
        this.running.delete(key);
      }
    });
  }
}

function failureOutcome(err: unknown, run: Running): RefreshOutcome {
  if (run.busy) return 'busy';
  return err instanceof AuthCodeError && err.code === 'login_required'
    ? 'login_required'
    : 'failed';
}

function keyOf(sessionId: string, provider: string): string {
  return `${sessionId}\0${provider}`;
}
