import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  AuthCodeError,
  ProviderApiClient,
  ProviderRegistry,
  TokenService,
  type ConnectedUser,
  type IsolarcloudPlantList,
} from 'nestjs-auth-code';
import { SAMPLE_OPTIONS, type SampleOptions } from '../sample.options';
import { DEFAULT_PLANT_MONITOR_SECONDS } from './plant-monitor.options';

/** The provider the monitor watches. */
export const MONITORED_PROVIDER = 'isolarcloud';

/** Most users whose last result is kept (the oldest goes first). */
const MAX_RESULTS = 10_000;
/** Plant list calls one round has in flight at once. */
const CONCURRENCY = 4;
/** Most plant names kept per user, and the longest name kept. */
const MAX_NAMES = 20;
const MAX_NAME_LENGTH = 120;

/** What the monitor last saw of one user's plants. Never a token. */
export interface PlantMonitorResult {
  /** When the plant list was last read, epoch ms. */
  fetchedAt?: number;
  /** How many plants it had. */
  plantCount?: number;
  /** Their names (the first {@link MAX_NAMES}, each cut at {@link MAX_NAME_LENGTH} characters). */
  plants?: string[];
  /** Our error code of the last round, when it failed (`login_required`, `upstream_unavailable`…). */
  error?: string;
  /** When it failed, epoch ms. */
  errorAt?: number;
}

/** What one {@link PlantMonitorService.runOnce} round did. */
export interface PlantMonitorRound {
  /** Users with an iSolarCloud connection that the round visited. */
  users: number;
  /** Plant lists read. */
  fetched: number;
  /** Users whose plant list could not be read (their connection needs a login, or the provider failed). */
  failed: number;
}

/**
 * The sample's background job: every `SAMPLE_PLANT_MONITOR_SECONDS` (@default 60) it reads the
 * plant list of every user with an iSolarCloud connection — with nobody's browser open, and after
 * a restart: the users come from `TokenService.connectedUsers()` (kept in the token store), the
 * calls go through `ProviderApiClient.callForUser()`, which refreshes the token first when due,
 * once across instances. It keeps, per user, the last result and the last error (in memory: the
 * next round after a restart fills it again).
 */
@Injectable()
export class PlantMonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PlantMonitor');
  private readonly results = new Map<string, PlantMonitorResult>();
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<PlantMonitorRound>;
  private stopped = true;

  constructor(
    private readonly tokens: TokenService,
    private readonly api: ProviderApiClient,
    private readonly registry: ProviderRegistry,
    @Inject(SAMPLE_OPTIONS) sample: SampleOptions,
  ) {
    this.intervalMs = (sample.plantMonitorSeconds ?? DEFAULT_PLANT_MONITOR_SECONDS) * 1000;
  }

  /** Seconds between two rounds. */
  get intervalSeconds(): number {
    return this.intervalMs / 1000;
  }

  /** Whether rounds run: iSolarCloud is enabled and the interval is not 0. */
  get enabled(): boolean {
    return this.intervalMs > 0 && this.registry.has(MONITORED_PROVIDER);
  }

  /** Starts the rounds (the first one at once). */
  onApplicationBootstrap(): void {
    if (!this.enabled || !this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the rounds and waits for the one in progress. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** The last result for a user, or undefined when the monitor has not visited them yet. */
  resultFor(userKey: string): PlantMonitorResult | undefined {
    return this.results.get(userKey);
  }

  /** Runs one round now (what the timer runs); one round at a time. */
  runOnce(): Promise<PlantMonitorRound> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<PlantMonitorRound> {
    const done: PlantMonitorRound = { users: 0, fetched: 0, failed: 0 };
    const seen = new Set<string>();
    // the users stream in from the store; each lane takes the next one (an async generator
    // queues concurrent next() calls), so a long list is never held in memory at once
    const users = this.tokens.connectedUsers(MONITORED_PROVIDER)[Symbol.asyncIterator]();
    const lane = async () => {
      while (!this.stopped) {
        const next = await users.next();
        if (next.done) return;
        done.users++;
        seen.add(next.value.userKey);
        done[(await this.visit(next.value)) ? 'fetched' : 'failed']++;
      }
    };
    try {
      // every lane ends before the round does (one that failed does not leave the others running)
      const lanes = await Promise.allSettled(Array.from({ length: CONCURRENCY }, lane));
      const failed = lanes.find((l) => l.status === 'rejected');
      if (failed) throw failed.reason;
      // a user no longer connected is forgotten
      if (!this.stopped) {
        for (const key of this.results.keys()) if (!seen.has(key)) this.results.delete(key);
      }
    } catch (err) {
      // the store is unreachable: the next round tries again
      this.logger.warn(`Plant monitor round failed (${codeOf(err)})`);
    }
    this.logger.debug(
      `Plant monitor round: ${done.users} users, ${done.fetched} fetched, ${done.failed} failed`,
    );
    return done;
  }

  /** Keeps a user's result; the oldest one goes when {@link MAX_RESULTS} are kept. */
  private keep(userKey: string, result: PlantMonitorResult): void {
    this.results.delete(userKey);
    if (this.results.size >= MAX_RESULTS) {
      this.results.delete(this.results.keys().next().value as string);
    }
    this.results.set(userKey, result);
  }

  /** Reads one user's plant list; true when it was read. */
  private async visit(user: ConnectedUser): Promise<boolean> {
    const last = this.results.get(user.userKey) ?? {};
    const now = Date.now();
    if (user.status === 'login_required') {
      // its refresh token died: no call until the user logs in again
      this.keep(user.userKey, { ...last, error: 'login_required', errorAt: now });
      return false;
    }
    try {
      const list = await this.api.callForUser<IsolarcloudPlantList>(
        user.userKey,
        MONITORED_PROVIDER,
        'plants',
      );
      const page = Array.isArray(list?.pageList) ? list.pageList : [];
      this.keep(user.userKey, {
        fetchedAt: Date.now(),
        plantCount: Number.isInteger(list?.rowCount) ? list.rowCount : page.length,
        plants: page
          .slice(0, MAX_NAMES)
          .map((p) => String(p?.ps_name ?? '').slice(0, MAX_NAME_LENGTH)),
      });
      return true;
    } catch (err) {
      this.keep(user.userKey, { ...last, error: codeOf(err), errorAt: Date.now() });
      return false;
    }
  }
}

/** Our error code of a failure (never its message: it could quote the provider). */
function codeOf(err: unknown): string {
  return err instanceof AuthCodeError ? err.code : 'unexpected_error';
}
