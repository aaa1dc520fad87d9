import { randomBytes } from 'node:crypto';
import { providerDisabledError, type ProviderRegistry } from '../core/provider-registry';
import type { AuthCodeEngine } from '../engine/auth-code.engine';
import type { AuthCodeError } from '../errors/auth-code.errors';
import type { TokenSet } from '../core/token-set';
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
import { connectionsId, grantOwner, upkeepAt, userKeyOf } from './grant-owner';
import type { Connection, LoginRequiredEvent } from './connections.types';
import { UserTokens } from './user-tokens';
import { describeConnections } from './connection-list';
import { ConnectionDirectory, type ConnectedUser } from './connection-directory';
import { RefreshTelemetry } from '../telemetry/refresh-telemetry';
import type { AuthTelemetry } from '../telemetry/telemetry';
import type { StoreNotifier } from '../stores/store-notifier.interface';

export type { AuthCodeLogin, Grant, ValidToken } from './token.types';
export type {
  Connection,
  GrantScope,
  LoginRequiredEvent,
  ResolveUserKey,
} from './connections.types';
export type { UserTokens } from './user-tokens';
export type { ConnectedUser } from './connection-directory';
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
  /**
   * Told once each time a grant's refresh token turns out dead (revoked, expired, reuse detected):
   * the grant is dropped (a connection is marked `login_required`) and never retried.
   */
  onLoginRequired?: (event: LoginRequiredEvent) => void;
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
  private readonly onLoginRequired?: (event: LoginRequiredEvent) => void;
  private readonly directory: ConnectionDirectory;

  constructor(deps: TokenServiceDeps) {
    this.options = resolveTokenServiceOptions(deps.options, deps.engine.http.timeoutMs);
    this.store = deps.store;
    this.registry = deps.registry;
    this.engine = deps.engine;
    this.logger = deps.logger ?? consoleTokenLogger;
    this.refreshes = new RefreshTelemetry(deps.telemetry ?? deps.engine.telemetry);
    this.onLoginRequired = deps.onLoginRequired;
    this.directory = new ConnectionDirectory(this.store, {
      ttlMs: this.options.connectionTtlMs,
      logger: this.logger,
      now: this.options.now,
    });
    this.coordinator = new RefreshCoordinator({
      ...deps,
      logger: this.logger,
      options: this.options,
      observer: this.refreshes,
      upkeepAt: (owner, provider, tokenSet) => this.upkeepAtOf(owner, provider, tokenSet),
      onDead: (owner, provider, grant, cause) => this.reportDead(owner, provider, grant, cause),
    });
  }

  /**
   * Stores a completed login under a NEW session id (256 random bits, base64url) — never the one
   * the browser came with (session fixation). When `sessionId` names a live session, its grants
   * of other providers move to the new session (account linking; its user stays the session's
   * user) and the old id is destroyed. A user-scoped provider's grant is stored as the user's
   * connection instead (kept at logout), and the user's other connections join the session.
   */
  async saveLogin(sessionId: string | undefined, login: Grant): Promise<SessionRecord> {
    const now = this.options.now();
    const id = randomBytes(32).toString('base64url');
    const ttl = this.options.sessionTtlMs;
    const found = sessionId ? await this.store.getSession(sessionId) : undefined;
    const old = found?.kind === undefined ? found : undefined;
    const userKey = checkedUserKey(await this.options.resolveUserKey(login.profile, old));
    const providers = [login.provider];
    const connected: string[] = [];
    const kept: Array<{ provider: string; claims?: Record<string, unknown> }> = [login];
    for (const provider of old?.providers ?? []) {
      if (provider === login.provider || old!.connected?.includes(provider)) continue;
      const grant = await this.store.getGrant(old!.id, provider);
      if (!grant) continue;
      const { tokenSet, profile, claims } = grant;
      const next = { tokenSet, profile, claims, upkeepAt: this.upkeepAtOf(id, provider, tokenSet) };
      await this.store.compareAndSetGrant(id, provider, next, 0, ttl);
      providers.push(provider);
      kept.push({ provider, claims });
    }
    const { tokenSet, profile, claims } = login;
    if (this.options.scopeOf(login.provider) === 'user') {
      await this.connect(userKey, login);
      connected.push(login.provider);
    } else {
      const next = {
        tokenSet,
        profile,
        claims,
        upkeepAt: this.upkeepAtOf(id, login.provider, tokenSet),
      };
      await this.store.compareAndSetGrant(id, login.provider, next, 0, ttl);
    }
    // the user's other connections (made in another browser, or before a logout) join the session
    const book = await this.store.getSession(connectionsId(userKey));
    for (const provider of book?.providers ?? []) {
      if (providers.includes(provider)) continue;
      providers.push(provider);
      connected.push(provider);
    }
    const session: SessionRecord = {
      id,
      user: old?.user ?? profile,
      providers,
      createdAt: now,
      expiresAt: now + ttl,
      userKey,
      ...(connected.length ? { connected } : {}),
    };
    await this.store.setSession(session, ttl);
    // back-channel logout finds the session by its grants' sid/sub (OIDC Back-Channel Logout 1.0)
    await indexSessionForLogout(this.store, this.registry, id, kept, ttl);
    if (sessionId) await this.store.deleteSession(sessionId);
    if (old) await this.leaveTombstone(old.id, now);
    this.freshness.set(id, login.provider, tokenSet.expiresAt);
    return session;
  }

  /**
   * Marks a replaced session for {@link REPLACED_SESSION_TTL_MS}: still unauthenticated (no user
   * key, no provider), so that a page another tab loads with the old cookie, while this login's
   * answer is setting the new one, can reload instead of showing the user logged out.
   */
  private async leaveTombstone(id: string, now: number): Promise<void> {
    const tombstone: SessionRecord = {
      id: tombstoneId(id),
      kind: 'replaced',
      user: { provider: '', id: '' },
      providers: [],
      createdAt: now,
      expiresAt: now + REPLACED_SESSION_TTL_MS,
    };
    await this.store.setSession(tombstone, REPLACED_SESSION_TTL_MS);
  }

  /**
   * Whether `sessionId` names a session that a newer login of its browser has just replaced
   * (within the last {@link REPLACED_SESSION_TTL_MS}). Such an id is logged out.
   */
  async wasReplaced(sessionId: string): Promise<boolean> {
    return (await this.store.getSession(tombstoneId(sessionId)))?.kind === 'replaced';
  }

  /**
   * Stores `login` as the user's connection to its provider (replacing an older one) and lists it
   * in the user's connections record.
   */
  private async connect(userKey: string, login: Grant): Promise<void> {
    const owner = connectionsId(userKey);
    const { provider, tokenSet, profile, claims } = login;
    const next = {
      tokenSet,
      profile,
      claims,
      upkeepAt: this.upkeepAtOf(owner, provider, tokenSet),
    };
    const ttl = this.options.connectionTtlMs;
    for (let attempt = 0; ; attempt++) {
      const existing = await this.store.getGrant(owner, provider);
      if (await this.store.compareAndSetGrant(owner, provider, next, existing?.version ?? 0, ttl))
        break;
      if (attempt === 2)
        throw new Error(`The ${provider} connection was rewritten concurrently; log in again`);
    }
    const now = this.options.now();
    const book = await this.store.getSession(owner);
    const lost = { ...book?.lost };
    delete lost[provider];
    const record: SessionRecord = {
      id: owner,
      kind: 'connections',
      userKey,
      user: book?.user ?? profile,
      providers: [...new Set([...(book?.providers ?? []), provider])],
      createdAt: book?.createdAt ?? now,
      expiresAt: now + ttl,
      ...(Object.keys(lost).length ? { lost } : {}),
    };
    await this.store.setSession(record, ttl);
    await this.directory.add(provider, userKey);
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

  /**
   * The stored grant of `provider` the session holds (tokens, profile, version), or undefined. No
   * refresh. A user-scoped grant is read where it lives: the session's user's connections record.
   * @param session the session record when the caller has just read it (it is not read again)
   */
  async getGrant(
    sessionId: string,
    provider: string,
    session?: SessionRecord,
  ): Promise<StoredGrant | undefined> {
    if (session?.id === sessionId) {
      return this.store.getGrant(grantOwner(session, provider), provider);
    }
    const own = await this.store.getGrant(sessionId, provider);
    if (own) return own;
    const record = await this.store.getSession(sessionId);
    const owner = record ? grantOwner(record, provider) : sessionId;
    return owner === sessionId ? undefined : this.store.getGrant(owner, provider);
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
    let session: SessionRecord | undefined;
    let grant: StoredGrant | undefined;
    if (known) {
      session = known;
      grant = await this.store.getGrant(grantOwner(known, provider), provider);
    } else {
      [session, grant] = await Promise.all([
        this.store.getSession(sessionId),
        this.store.getGrant(sessionId, provider),
      ]);
      const owner = session ? grantOwner(session, provider) : sessionId;
      if (owner !== sessionId) grant = await this.store.getGrant(owner, provider);
    }
    // The session record is the login: a grant whose session is gone or unreadable is logged out.
    if (!session || !grant) throw loginRequired(provider, this.registry.displayName(provider));
    if (!force && isFresh(grant.tokenSet, this.options))
      return { tokenSet: grant.tokenSet, refreshed: false };
    return this.refreshGrant(session, provider, grant, force);
  }

  /** Refreshes `grant` once per (owner, provider) in this process, and across instances. */
  private refreshGrant(
    session: SessionRecord,
    provider: string,
    grant: StoredGrant,
    force: boolean,
  ): Promise<ValidToken> {
    const owner = grantOwner(session, provider);
    const userOwned = userKeyOf(owner) !== undefined;
    // a connection lives on after each refresh; a session grant never outlives its session
    const until = userOwned ? this.options.now() + this.options.connectionTtlMs : session.expiresAt;
    return this.flights.run(`${owner}\0${provider}`, (waiters) =>
      this.refreshes.run(owner, provider, waiters, () =>
        this.coordinator.refresh(owner, provider, grant, force, until),
      ),
    );
  }

  /**
   * A user's connected accounts without a request (a cron job, a queue worker): valid tokens with
   * the same single-flight refresh, rotation and `login_required` semantics as a request has.
   */
  forUser(userKey: string): UserTokens {
    return new UserTokens(checkedUserKey(userKey), {
      refresh: (owner, provider, opts) => this.refresh(owner, provider, opts),
      connections: (owner) => this.connections(owner),
      disconnect: (owner, provider) => this.revoke(owner, provider),
    });
  }

  /**
   * Every account the session holds — its own grants and its user's connections, including the
   * ones that need a new login (`status: 'login_required'`). No token is in the answer.
   */
  async connections(sessionId: string, session?: SessionRecord): Promise<Connection[]> {
    const record = session?.id === sessionId ? session : await this.store.getSession(sessionId);
    if (!record) return [];
    return describeConnections(this.store, record, await this.connectionsRecordOf(record));
  }

  /** The connections record of a session's user (a connections record is its own). */
  private async connectionsRecordOf(record: SessionRecord): Promise<SessionRecord | undefined> {
    if (record.kind === 'connections') return record;
    if (record.userKey === undefined) return undefined;
    return this.store.getSession(connectionsId(record.userKey));
  }

  /**
   * The users who hold a connection (a user-scoped grant) to `provider` — live, or
   * `login_required` — for background work without a request: a scheduled job walks them and
   * uses {@link TokenService.forUser} (or `ProviderApiClient.callForUser`) for each. Read from the
   * token store, so it lists the users every instance connected, and still does after a restart.
   * Each user once, in no particular order; one store read per user.
   */
  connectedUsers(provider: string): AsyncIterable<ConnectedUser> {
    return this.directory.connectedUsers(provider);
  }

  /**
   * One step of background upkeep for a claimed grant (`TokenStore.claimDueGrants`): refreshes it
   * when it is due (user-scoped and its access token due, or its refresh token near its expiry),
   * else puts it back on the schedule. Throws what a refresh throws (`login_required` when dead —
   * reported once, through `onLoginRequired` — or the transport error of a provider that is down).
   */
  async upkeep(ownerId: string, provider: string): Promise<'refreshed' | 'rescheduled' | 'gone'> {
    const [record, grant] = await Promise.all([
      this.store.getSession(ownerId),
      this.store.getGrant(ownerId, provider),
    ]);
    if (!record || !grant || !this.registry.has(provider)) {
      await this.store.rescheduleUpkeep?.(ownerId, provider, undefined);
      return 'gone';
    }
    // the time fixed when the grant was written (a refresh since then moved it)
    const at = grant.upkeepAt;
    if (at === undefined || at > this.options.now()) {
      await this.store.rescheduleUpkeep?.(ownerId, provider, at);
      return 'rescheduled';
    }
    await this.refreshGrant(record, provider, grant, true);
    return 'refreshed';
  }

  /** When upkeep should next look at a grant of `owner` (a connection, or a session's grant). */
  private upkeepAtOf(owner: string, provider: string, tokenSet: TokenSet): number | undefined {
    const scope = userKeyOf(owner) !== undefined ? 'user' : 'session';
    return upkeepAt(tokenSet, scope, this.options);
  }

  private reportDead(owner: string, provider: string, grant: StoredGrant, cause: unknown): void {
    const e = cause as Partial<AuthCodeError>;
    const event: LoginRequiredEvent = {
      provider,
      userKey: userKeyOf(owner),
      userId: grant.profile.id,
      code: e.providerCode ?? e.code ?? 'login_required',
      reason: e.providerMessage?.slice(0, 200),
      at: this.options.now(),
    };
    this.logger.warn(
      `The ${provider} grant${event.userKey ? ` of user ${event.userKey.slice(0, 200)}` : ''} is dead (${event.code}); a new login is needed`,
    );
    try {
      this.onLoginRequired?.(event);
    } catch (err) {
      this.logger.warn(`onLoginRequired threw (${(err as Error).message})`);
    }
  }

  /**
   * Disconnects: revokes the grant at the provider where it has a revocation endpoint (best
   * effort), then deletes it — a connection for every session of its user.
   */
  async revoke(sessionId: string, provider: string): Promise<void> {
    this.freshness.forget(sessionId, [provider]);
    const session = await this.store.getSession(sessionId);
    const owner = session ? grantOwner(session, provider) : sessionId;
    await this.revokeUpstream(owner, provider);
    await this.coordinator.dropGrant(owner, provider);
    if (owner !== sessionId) await this.coordinator.dropGrant(sessionId, provider);
    const userKey = userKeyOf(owner);
    if (userKey !== undefined) await this.directory.forget(provider, userKey);
  }

  /**
   * Revokes every grant of the session where possible (best effort), then deletes the session.
   * The user's connections (user-scoped grants) stay: the next login finds them again.
   */
  async logout(sessionId: string): Promise<void> {
    const session = await this.store.getSession(sessionId);
    const own = (session?.providers ?? []).filter((p) => !session?.connected?.includes(p));
    this.freshness.forget(sessionId, session?.providers ?? []);
    await Promise.all(own.map((p) => this.revokeUpstream(sessionId, p)));
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

/** How long a replaced session's tombstone lives ({@link TokenService.wasReplaced}). */
export const REPLACED_SESSION_TTL_MS = 30_000;

/**
 * Where a replaced session's tombstone is kept: beside the session, not in its place, so that
 * nothing that finds sessions (back-channel logout's index) mistakes it for a live one.
 */
function tombstoneId(sessionId: string): string {
  return `replaced:${sessionId}`;
}

/** Longest user key accepted (it names a store record). */
const MAX_USER_KEY = 512;

/** A user key as `resolveUserKey` gave it, or a clear error when it is not a usable one. */
function checkedUserKey(key: unknown): string {
  if (typeof key === 'string' && key.length > 0 && key.length <= MAX_USER_KEY) return key;
  throw new TypeError(
    `resolveUserKey must return a non-empty string of at most ${MAX_USER_KEY} characters`,
  );
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
