import { randomBytes } from 'node:crypto';
import { providerDisabledError, type ProviderRegistry } from '../core/provider-registry';
import type { AuthCodeEngine } from '../engine/auth-code.engine';
import type { AuthCodeError } from '../errors/auth-code.errors';
import { indexSessionForLogout } from './backchannel-logout.service';
import { RefreshCoordinator } from './refresh-coordinator';
import { SingleFlight } from './single-flight';
import type {
  SessionRecord,
  StoredGrant,
  TokenLock,
  TokenStore,
} from '../stores/token-store.interface';
import { loginRequired } from './token-errors';
import { FreshnessMemo } from './freshness.memo';
import { isFresh } from './token-freshness';
import { consoleTokenLogger, type TokenLogger } from '../core/token-logger';
import {
  resolveTokenServiceOptions,
  type ResolvedTokenServiceOptions,
  type TokenServiceOptions,
} from './token-service.options';
import type { Grant, ValidToken } from './token.types';
import { RefreshTelemetry } from '../telemetry/refresh-telemetry';
import type { AuthTelemetry } from '../telemetry/telemetry';
import type { StoreNotifier } from '../stores/store-notifier.interface';

export type { AuthCodeLogin, Grant, ValidToken } from './token.types';
export type { TokenServiceOptions } from './token-service.options';
export type { RetryPolicy } from './retry';
export type { TokenLogger } from '../core/token-logger';

/** What a {@link TokenService} is built from. */
export interface TokenServiceDeps {
  /** Where sessions and grants live. */
  store: TokenStore;
  /** The refresh lock (shared by every instance when the store is). */
  lock: TokenLock;
  /** Executes provider definitions. */
  engine: AuthCodeEngine;
  /** Enabled providers. */
  registry: ProviderRegistry;
  /** Options. */
  options?: TokenServiceOptions;
  /** Warnings (failed best-effort revokes, lost writes). @default console */
  logger?: TokenLogger;
  /** Where refreshes are reported (the `refresh` span). @default the engine's telemetry */
  telemetry?: AuthTelemetry;
  /** Wakes callers waiting for another instance's refresh. @default none: they poll the store */
  notifier?: StoreNotifier;
}

/**
 * The one owner of token lifecycles: stores a login under a fresh session id, hands out access
 * tokens that are valid for at least the skew window, refreshing first when needed — once per
 * (session, provider) in this process (shared promise) and across instances (lock + versioned
 * write) — and revokes and deletes at logout.
 */
export class TokenService {
  /** The options in effect. */
  readonly options: ResolvedTokenServiceOptions;
  private readonly store: TokenStore;
  private readonly registry: ProviderRegistry;
  private readonly engine: AuthCodeEngine;
  private readonly logger: TokenLogger;
  private readonly coordinator: RefreshCoordinator;
  private readonly flights = new SingleFlight<ValidToken>();
  private readonly freshness = new FreshnessMemo();
  private readonly refreshes: RefreshTelemetry;

  constructor(deps: TokenServiceDeps) {
    this.options = resolveTokenServiceOptions(deps.options, deps.engine.http.timeoutMs);
    this.store = deps.store;
    this.registry = deps.registry;
    this.engine = deps.engine;
    this.logger = deps.logger ?? consoleTokenLogger;
    this.refreshes = new RefreshTelemetry(deps.telemetry ?? deps.engine.telemetry);
    this.coordinator = new RefreshCoordinator({
      ...deps,
      logger: this.logger,
      options: this.options,
      observer: this.refreshes,
    });
  }

  /**
   * Stores a completed login under a NEW session id (256 random bits, base64url) — never the one
   * the browser came with (session fixation). When `sessionId` names a live session, its grants
   * of other providers move to the new session (account linking; its user stays the session's
   * user) and the old id is destroyed.
   */
  async saveLogin(sessionId: string | undefined, login: Grant): Promise<SessionRecord> {
    const now = this.options.now();
    const id = randomBytes(32).toString('base64url');
    const expiresAt = now + this.options.sessionTtlMs;
    const ttl = this.options.sessionTtlMs;
    const old = sessionId ? await this.store.getSession(sessionId) : undefined;
    const providers = [login.provider];
    const kept: Array<{ provider: string; claims?: Record<string, unknown> }> = [login];
    for (const provider of old?.providers ?? []) {
      if (provider === login.provider) continue;
      const grant = await this.store.getGrant(old!.id, provider);
      if (!grant) continue;
      const { tokenSet, profile, claims } = grant;
      await this.store.compareAndSetGrant(id, provider, { tokenSet, profile, claims }, 0, ttl);
      providers.push(provider);
      kept.push({ provider, claims });
    }
    const { tokenSet, profile, claims } = login;
    await this.store.compareAndSetGrant(id, login.provider, { tokenSet, profile, claims }, 0, ttl);
    const session: SessionRecord = {
      id,
      user: old?.user ?? profile,
      providers,
      createdAt: now,
      expiresAt,
    };
    await this.store.setSession(session, ttl);
    // back-channel logout finds the session by its grants' sid/sub (OIDC Back-Channel Logout 1.0)
    await indexSessionForLogout(this.store, this.registry, id, kept, ttl);
    if (sessionId) await this.store.deleteSession(sessionId);
    this.freshness.set(id, login.provider, tokenSet.expiresAt);
    return session;
  }

  /**
   * The session synchronously, when the store can answer without I/O (memory): the record, `null`
   * for none, `undefined` when only {@link TokenService.getSession} can tell.
   */
  peekSession(id: string): SessionRecord | null | undefined {
    return this.store.peekSession?.(id);
  }

  /** The session, or undefined when unknown, expired or unreadable. */
  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.store.getSession(id);
  }

  /** The stored grant of `provider` (tokens, profile, version), or undefined. No refresh. */
  getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    return this.store.getGrant(sessionId, provider);
  }

  /**
   * An access token for `provider` valid for at least the skew window, refreshed first when
   * needed. Throws `LoginRequiredError` (401) when the session or the grant is missing or
   * unreadable, or the grant cannot be refreshed.
   * @param session the session record when the caller has just read it for this request (as
   *   `SessionGuard` has): it is not read a second time. Ignored when its id is not `sessionId`.
   */
  getValidToken(sessionId: string, provider: string, session?: SessionRecord): Promise<ValidToken> {
    return this.refresh(sessionId, provider, { force: false, session });
  }

  /**
   * Refreshes when the token is due, or always with `force` (e.g. an API answered 401). Concurrent
   * callers share one refresh; a caller that arrives after another instance refreshed gets that
   * result without a second upstream call. `session`: as for {@link TokenService.getValidToken}
   * (@default read from the store).
   */
  async refresh(
    sessionId: string,
    provider: string,
    opts: { force?: boolean; session?: SessionRecord } = {},
  ): Promise<ValidToken> {
    try {
      const valid = await this.readOrRefresh(sessionId, provider, opts);
      this.freshness.set(sessionId, provider, valid.tokenSet.expiresAt);
      return valid;
    } catch (err) {
      this.freshness.forget(sessionId, [provider]);
      throw err;
    }
  }

  /**
   * Makes sure `provider`'s access token is fresh for at least the skew window (refreshing it
   * when due), without handing it out: what `TokenRefreshInterceptor` runs before a handler.
   * A token this process has seen fresh costs no store read (an in-process memo of its expiry,
   * never of the token); the handler's own token read still checks the store.
   */
  async ensureFresh(sessionId: string, provider: string, session?: SessionRecord): Promise<void> {
    const expiresAt = this.freshness.get(sessionId, provider);
    if (expiresAt !== undefined && this.registry.has(provider)) {
      if (isFresh({ expiresAt }, this.options)) return;
    }
    await this.getValidToken(sessionId, provider, session);
  }

  private async readOrRefresh(
    sessionId: string,
    provider: string,
    opts: { force?: boolean; session?: SessionRecord },
  ): Promise<ValidToken> {
    // A provider that is not enabled is not a missing login (401) but a route that does not exist.
    if (!this.registry.has(provider)) throw providerDisabledError(provider);
    const force = opts.force ?? false;
    const known = opts.session?.id === sessionId ? opts.session : undefined;
    const [session, grant] = await Promise.all([
      known ?? this.store.getSession(sessionId),
      this.store.getGrant(sessionId, provider),
    ]);
    // The session record is the login: a grant whose session is gone or unreadable is logged out.
    if (!session || !grant) throw loginRequired(provider, this.registry.displayName(provider));
    if (!force && isFresh(grant.tokenSet, this.options))
      return { tokenSet: grant.tokenSet, refreshed: false };
    return this.flights.run(`${sessionId}\0${provider}`, (waiters) =>
      this.refreshes.run(sessionId, provider, waiters, () =>
        this.coordinator.refresh(sessionId, provider, grant, force, session.expiresAt),
      ),
    );
  }

  /** Revokes the grant at the provider where it has a revocation endpoint (best effort), then deletes it. */
  async revoke(sessionId: string, provider: string): Promise<void> {
    this.freshness.forget(sessionId, [provider]);
    await this.revokeUpstream(sessionId, provider);
    await this.coordinator.dropGrant(sessionId, provider);
  }

  /** Revokes every grant of the session where possible (best effort), then deletes the session. */
  async logout(sessionId: string): Promise<void> {
    const session = await this.store.getSession(sessionId);
    this.freshness.forget(sessionId, session?.providers ?? []);
    await Promise.all((session?.providers ?? []).map((p) => this.revokeUpstream(sessionId, p)));
    await this.store.deleteSession(sessionId);
  }

  private async revokeUpstream(sessionId: string, provider: string): Promise<void> {
    const grant = await this.store.getGrant(sessionId, provider);
    if (!grant) return;
    // Revoking the refresh token revokes its access tokens too (RFC 7009 2.1, Tencent CIAM).
    const { refreshToken, accessToken } = grant.tokenSet;
    const token = refreshToken ?? accessToken;
    try {
      const def = await this.registry.get(provider);
      if (!def.revoke) return;
      await this.engine.revoke(def, token, refreshToken ? 'refresh_token' : 'access_token');
    } catch (err) {
      // At warn, with the provider's reason: a refused revocation leaves a live grant upstream.
      this.logger.warn(
        `Revoking the ${provider} grant failed (${revokeFailure(err, token)}); deleting it locally anyway`,
      );
    }
  }
}

/** The reason of a failed revocation: our code, the provider's code and message (bounded, the token cut out). */
function revokeFailure(err: unknown, token: string): string {
  const e = err as Partial<AuthCodeError>;
  const clean = (text: string, max: number) =>
    (token ? text.split(token).join('[redacted]') : text).slice(0, max);
  const parts = [clean(e.code ?? (err instanceof Error ? err.message : 'error'), 200)];
  if (e.providerCode !== undefined) parts.push(`provider code ${clean(e.providerCode, 64)}`);
  if (e.providerMessage) parts.push(`"${clean(e.providerMessage, 200)}"`);
  else if (e.upstreamStatus !== undefined) parts.push(`HTTP ${e.upstreamStatus}`);
  return parts.join(', ');
}
