import { LoginLimitError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

/** Limits of the unfinished login attempts one process lets start. */
export interface LoginAttemptLimits {
  /**
   * Unfinished attempts per client (an IPv4 address, or an IPv6 /64); one more answers 429
   * `rate_limited`. Leave room for many people behind one NAT starting logins at once.
   * @default 100
   */
  perClient?: number;
  /** Unfinished attempts in total; one more answers 503 `temporarily_unavailable`. @default 10000 */
  total?: number;
}

/** The defaults of {@link LoginAttemptLimits}. */
export const DEFAULT_LOGIN_ATTEMPT_LIMITS: Required<LoginAttemptLimits> = {
  perClient: 100,
  total: 10_000,
};

/**
 * Counts the login attempts this process has started and not yet seen finished, per client and in
 * total, so that anonymous traffic meets a clear 429/503 instead of filling the store (where it
 * used to evict live sessions). An attempt is counted from `/login` until its callback consumes it
 * or its lifetime ends. In process memory, store-agnostic: with several instances each counts its
 * own (an attempt finished on another instance is released when it expires here).
 */
export class LoginAttemptBudget {
  private readonly limits: Required<LoginAttemptLimits>;
  /** state → attempt; insertion order is expiry order (one lifetime for all). */
  private readonly live = new Map<string, { client: string; expiresAt: number; tag?: string }>();
  /** tag (the attempt's cookie name) → state. */
  private readonly tags = new Map<string, string>();
  private readonly perClient = new Map<string, number>();

  constructor(
    limits: LoginAttemptLimits | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = {
      perClient: limits?.perClient ?? DEFAULT_LOGIN_ATTEMPT_LIMITS.perClient,
      total: limits?.total ?? DEFAULT_LOGIN_ATTEMPT_LIMITS.total,
    };
  }

  /**
   * Counts a new attempt for `client`, or throws {@link LoginLimitError} when a limit is reached.
   * `tag`: a second name for the attempt (its cookie's), for {@link releaseTagged}.
   */
  /**
   * Seconds until the oldest attempt (of `client`, or of anyone) expires and frees a place: the
   * `Retry-After` of a refusal. Attempts are kept oldest first, so the first match is the one.
   */
  private secondsUntilFree(client?: string): number {
    for (const attempt of this.live.values()) {
      if (client === undefined || attempt.client === client)
        return Math.max(1, Math.ceil((attempt.expiresAt - this.now()) / 1000));
    }
    return 1;
  }

  reserve(state: string, client: string, tag?: string): void {
    this.expire();
    const minutes = Math.max(1, Math.ceil(this.ttlMs / 60_000));
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.limits.perClient) {
      throw new LoginLimitError({
        code: 'rate_limited',
        operation: 'authorize',
        message: Messages.loginAttemptsPerClient(this.limits.perClient, minutes),
        retryAfterSeconds: this.secondsUntilFree(client),
      });
    }
    if (this.live.size >= this.limits.total) {
      throw new LoginLimitError({
        code: 'temporarily_unavailable',
        operation: 'authorize',
        message: Messages.loginAttemptsTotal(minutes),
        retryAfterSeconds: this.secondsUntilFree(),
      });
    }
    this.live.set(state, { client, expiresAt: this.now() + this.ttlMs, tag });
    if (tag !== undefined) this.tags.set(tag, state);
    this.perClient.set(client, held + 1);
  }

  /** Stops counting the attempt reserved with `tag`; returns its state, or undefined when unknown. */
  releaseTagged(tag: string): string | undefined {
    const state = this.tags.get(tag);
    if (state !== undefined) this.release(state);
    return state;
  }

  /** Stops counting an attempt (consumed, or never stored). Unknown states are ignored. */
  release(state: string): void {
    const attempt = this.live.get(state);
    if (!attempt) return;
    this.live.delete(state);
    if (attempt.tag !== undefined) this.tags.delete(attempt.tag);
    const held = (this.perClient.get(attempt.client) ?? 1) - 1;
    if (held > 0) this.perClient.set(attempt.client, held);
    else this.perClient.delete(attempt.client);
  }

  /** Attempts counted now, in total and for `client`. */
  count(client?: string): number {
    this.expire();
    return client === undefined ? this.live.size : (this.perClient.get(client) ?? 0);
  }

  /** Releases the attempts whose lifetime has ended: they sit at the front. */
  private expire(): void {
    const now = this.now();
    for (const [state, attempt] of this.live) {
      if (attempt.expiresAt > now) break;
      this.release(state);
    }
  }
}

/**
 * Who counts as one client for the attempt budget: the address, with IPv6 cut to its /64 (one
 * subscriber's whole prefix, which a single host can rotate through at will).
 */
export function attemptClientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const ip = address.slice(0, 64).toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
