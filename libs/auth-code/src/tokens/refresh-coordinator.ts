import type { ProviderDefinition } from '../core/provider-definition';
import type { ProviderRegistry } from '../core/provider-registry';
import type { TokenResponse, TokenSet } from '../core/token-set';
import type { AuthCodeEngine } from '../engine/auth-code.engine';
import { isRetryableRefreshError, withRetry } from './retry';
import { StoreKeys } from '../stores/store-keys';
import type {
  SessionRecord,
  StoredGrant,
  TokenLock,
  TokenStore,
} from '../stores/token-store.interface';
import type { StoreNotifier } from '../stores/store-notifier.interface';
import { isDeadGrant, isSpentRefresh, loginRequired, refreshBusy } from './token-errors';
import { isExpired } from './token-freshness';
import type { TokenLogger } from '../core/token-logger';
import type { ValidToken } from './token.types';
import type { ResolvedTokenServiceOptions } from './token-service.options';
import type { RefreshObserver } from '../telemetry/refresh-telemetry';

/** Dependencies of the {@link RefreshCoordinator}. */
export interface RefreshCoordinatorDeps {
  store: TokenStore;
  lock: TokenLock;
  engine: AuthCodeEngine;
  registry: ProviderRegistry;
  logger: TokenLogger;
  options: ResolvedTokenServiceOptions;
  /** Told what each refresh does (telemetry). @default nobody */
  observer?: RefreshObserver;
  /** When upkeep should next look at a grant written for `ownerId`. @default never */
  upkeepAt?: (ownerId: string, provider: string, tokenSet: TokenSet) => number | undefined;
  /** Told once when a refresh finds the grant dead (it is dropped, never retried). */
  onDead?: (ownerId: string, provider: string, grant: StoredGrant, cause: unknown) => void;
  /**
   * Wakes callers waiting for another instance's refresh the moment it is written. @default none:
   * they poll the store
   */
  notifier?: StoreNotifier;
}

/** Pauses between store reads of a waiting caller, ms: first, growth, longest. */
const POLLING = { first: 20, growth: 1.5, max: 250 };
/** With a notifier a waiter is woken by message; the pauses only cover a lost one. */
const NOTIFIED = { first: 250, growth: 2, max: 1000 };

type Attempt = { result: TokenResponse } | { stored: StoredGrant };

/**
 * Refreshes one grant across instances: the {@link TokenLock} lets one caller refresh while the
 * others wait for its result (woken by the {@link StoreNotifier} when there is one, polling the
 * store otherwise); the write is a versioned compare-and-set, so a refresh token is only ever used
 * by the holder of the newest version.
 */
export class RefreshCoordinator {
  constructor(private readonly d: RefreshCoordinatorDeps) {}

  /**
   * Returns a token newer than `seen` (refreshed here or by another instance), or `seen`'s token
   * when it cannot be refreshed but is still valid. Throws `LoginRequiredError` when the grant is
   * dead or gone. `sessionExpiresAt`: the session's end, as the caller just read it (a refreshed
   * grant is stored no longer than its session; @default the session TTL from now).
   */
  async refresh(
    sessionId: string,
    provider: string,
    seen: StoredGrant,
    force: boolean,
    sessionExpiresAt?: number,
  ): Promise<ValidToken> {
    const def = await this.d.registry.get(provider);
    const key = StoreKeys.refreshLock(sessionId, provider);
    const started = Date.now();
    const pauses = this.d.notifier ? NOTIFIED : POLLING;
    let pause = pauses.first;
    for (;;) {
      const owner = await this.d.lock.acquire(key, this.d.options.lockTtlMs);
      if (owner) {
        try {
          return await this.refreshHolding(def, sessionId, seen.version, force, sessionExpiresAt);
        } finally {
          await this.d.lock.release(key, owner).catch((err: Error) => {
            this.d.logger.warn(`Could not release the ${provider} refresh lock (${err.message})`);
          });
        }
      }
      // Someone else is refreshing: wait for their result instead of using our stale refresh token.
      const left = this.d.options.waitTimeoutMs - (Date.now() - started);
      const ms = Math.min(left, pause * (0.5 + this.d.options.random() / 2));
      pause = Math.min(pauses.max, pause * pauses.growth);
      const current = await this.awaitWrite(sessionId, provider, seen.version, ms);
      if (!current) throw loginRequired(provider, def.displayName);
      if (current.version !== seen.version) {
        this.d.observer?.note(sessionId, provider, 'joined');
        return { tokenSet: current.tokenSet, refreshed: true };
      }
      if (Date.now() - started >= this.d.options.waitTimeoutMs) {
        this.d.observer?.note(sessionId, provider, 'busy');
        throw refreshBusy(provider, def.displayName, this.d.options.waitTimeoutMs);
      }
    }
  }

  /**
   * Waits up to `ms` for the grant to move on from `version`, then returns it as the store has it.
   * Without a notifier: a pause, then a read. With one, the wait is armed before a first read, so
   * a write that lands between that read and the wait still wakes it (its announcement follows the
   * write); a wait that fails is a plain pause (the notifier is only ever a shortcut).
   */
  private async awaitWrite(
    sessionId: string,
    provider: string,
    version: number,
    ms: number,
  ): Promise<StoredGrant | undefined> {
    const { notifier, store } = this.d;
    if (!notifier) {
      await sleep(ms);
      return store.getGrant(sessionId, provider);
    }
    const woken = notifier.waitForGrant(sessionId, provider, ms).catch(() => sleep(ms));
    const before = await store.getGrant(sessionId, provider);
    if (!before || before.version !== version) return before;
    await woken;
    return store.getGrant(sessionId, provider);
  }

  /** Tells waiting callers (here and on other instances) that the grant changed; never throws. */
  private announce(sessionId: string, provider: string): void {
    const { notifier } = this.d;
    if (!notifier) return;
    Promise.resolve()
      .then(() => notifier.grantWritten(sessionId, provider))
      .catch((err: unknown) => {
        const reason = String((err as Error)?.message ?? err).slice(0, 200);
        this.d.logger.warn(
          `Could not announce the ${provider} grant to waiting instances (${reason}); they poll the store`,
        );
      });
  }

  private async refreshHolding(
    def: ProviderDefinition,
    sessionId: string,
    seenVersion: number,
    force: boolean,
    sessionExpiresAt: number | undefined,
  ): Promise<ValidToken> {
    const current = await this.d.store.getGrant(sessionId, def.id);
    if (!current) throw loginRequired(def.id, def.displayName);
    if (current.version !== seenVersion) {
      this.d.observer?.note(sessionId, def.id, 'joined');
      return { tokenSet: current.tokenSet, refreshed: true };
    }
    const refreshToken = current.tokenSet.refreshToken;
    if (!refreshToken || !def.token.refresh) {
      if (!force && !isExpired(current.tokenSet, this.d.options.now())) {
        return { tokenSet: current.tokenSet, refreshed: false };
      }
      await this.dropGrant(sessionId, def.id);
      throw loginRequired(def.id, def.displayName);
    }
    const attempt = await this.callProvider(def, sessionId, current, refreshToken);
    if ('stored' in attempt) {
      this.d.observer?.note(sessionId, def.id, 'joined');
      return { tokenSet: attempt.stored.tokenSet, refreshed: true };
    }
    return this.write(def, sessionId, current, attempt.result, sessionExpiresAt);
  }

  private async callProvider(
    def: ProviderDefinition,
    sessionId: string,
    current: StoredGrant,
    refreshToken: string,
  ): Promise<Attempt> {
    try {
      return await withRetry<Attempt>(
        async () => {
          this.d.observer?.note(sessionId, def.id, 'upstream');
          return {
            result: await this.d.engine.refresh(
              def,
              refreshToken,
              current.claims,
              current.tokenSet.dpopKey,
            ),
          };
        },
        {
          policy: this.d.options.retry,
          retryable: isRetryableRefreshError,
          random: this.d.options.random,
          beforeRetry: async () => {
            const latest = await this.d.store.getGrant(sessionId, def.id);
            if (!latest) throw loginRequired(def.id, def.displayName);
            return latest.version !== current.version ? { stored: latest } : undefined;
          },
        },
      );
    } catch (err) {
      if (!isDeadGrant(err) && !isSpentRefresh(err)) throw err;
      // The refresh token is dead (expired, revoked, or reuse detected) or was spent on an answer
      // that failed validation: never present it again.
      await this.dropGrant(sessionId, def.id, current);
      this.d.onDead?.(sessionId, def.id, current, err);
      throw loginRequired(def.id, def.displayName, err);
    }
  }

  private async write(
    def: ProviderDefinition,
    sessionId: string,
    current: StoredGrant,
    result: TokenResponse,
    sessionExpiresAt: number | undefined,
  ): Promise<ValidToken> {
    const { now, sessionTtlMs } = this.d.options;
    // A grant never outlives its session. The session is not read again: when it was deleted
    // meanwhile (logout), its grants went with it, so the compare-and-set below fails and the
    // grant is reported gone (login_required).
    const ttlMs = sessionExpiresAt ? Math.max(1000, sessionExpiresAt - now()) : sessionTtlMs;
    const tokenSet = { ...result.tokenSet };
    // a refresh token kept across the refresh (no rotation) keeps the expiry it had
    if (tokenSet.refreshToken === current.tokenSet.refreshToken) {
      tokenSet.refreshExpiresAt ??= current.tokenSet.refreshExpiresAt;
    }
    const next = {
      tokenSet,
      profile: current.profile,
      claims: result.claims ?? current.claims,
      refreshedAt: now(),
      upkeepAt: this.d.upkeepAt?.(sessionId, def.id, tokenSet),
    };
    const written = await this.d.store.compareAndSetGrant(
      sessionId,
      def.id,
      next,
      current.version,
      ttlMs,
    );
    if (written) {
      this.announce(sessionId, def.id);
      return { tokenSet: written.tokenSet, refreshed: true };
    }
    // Lost the write (our lock expired, or a logout happened meanwhile): the store is the truth.
    this.d.logger.warn(`A ${def.id} refresh finished after another writer; using the stored grant`);
    const latest = await this.d.store.getGrant(sessionId, def.id);
    if (!latest) throw loginRequired(def.id, def.displayName);
    return { tokenSet: latest.tokenSet, refreshed: true };
  }

  /**
   * Deletes a grant and removes its provider from the session record. The record is rewritten only
   * while it still exists: a logout may delete the session between our read and our write (it
   * revokes upstream first, which is what makes a concurrent refresh land here), and a plain write
   * would bring that logged-out session back with a fresh TTL.
   * @param lost the grant that died, when it did: a user's connections record then lists the
   *   provider as needing a new login (`lost`) instead of forgetting it
   */
  async dropGrant(sessionId: string, provider: string, lost?: StoredGrant): Promise<void> {
    const { store } = this.d;
    await store.deleteGrant(sessionId, provider);
    this.announce(sessionId, provider);
    const session = await store.getSession(sessionId);
    if (!session?.providers.includes(provider)) return;
    const { now, sessionTtlMs, connectionTtlMs } = this.d.options;
    const life = session.kind === 'connections' ? connectionTtlMs : sessionTtlMs;
    const ttl = (session.expiresAt ?? now() + life) - now();
    if (ttl <= 0) return;
    const next: SessionRecord = {
      ...session,
      providers: session.providers.filter((p) => p !== provider),
    };
    if (session.kind === 'connections' && lost) {
      const { id: userId, displayName } = lost.profile;
      next.lost = { ...session.lost, [provider]: { userId, displayName, at: now() } };
    }
    if (store.replaceSession) await store.replaceSession(next, ttl);
    else await store.setSession(next, ttl);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
