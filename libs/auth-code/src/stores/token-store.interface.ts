import type { TokenSet } from '../core/token-set';
import type { Profile } from '../core/profile';

/** A provider grant kept for a session: tokens and profile, versioned for compare-and-set. */
export interface StoredGrant {
  /** The current tokens. */
  tokenSet: TokenSet;
  /** The profile the grant was issued for. */
  profile: Profile;
  /** Verified id_token claims of the original login (OIDC), for refresh continuity checks. */
  claims?: Record<string, unknown>;
  /** Monotonic version; every successful write increments it. */
  version: number;
  /** Epoch ms of the last write. */
  updatedAt: number;
  /** Epoch ms of the last refresh; absent when none since the login. */
  refreshedAt?: number;
  /**
   * Epoch ms when background upkeep should look at this grant (its access token is due, or its
   * refresh token nears its own expiry); absent = upkeep never does. Stores that implement
   * {@link TokenStore.claimDueGrants} index the grant under it at every write.
   */
  upkeepAt?: number;
}

/** A grant {@link TokenStore.claimDueGrants} found due. */
export interface DueGrant {
  /** The id the grant was written under (a session id, or a user's connections id). */
  ownerId: string;
  /** Provider id. */
  provider: string;
}

/** A logged-in browser session. The id is 256 random bits; the record lives server-side. */
export interface SessionRecord {
  /** Session id (base64url, 43 chars). */
  id: string;
  /** The user, as the provider used to log in described them. */
  user: Profile;
  /** Provider ids this session holds grants for. */
  providers: string[];
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms when the session ends; its grants are stored no longer than this. */
  expiresAt?: number;
  /**
   * The app's key of the user (`resolveUserKey`; default the first login's `provider:id`). Set at
   * login; user-scoped grants live under this user's connections record, not the session.
   */
  userKey?: string;
  /**
   * Providers of {@link providers} whose grant belongs to the user (`grantScope: 'user'`): it is
   * read from the user's connections record ({@link SessionRecord.kind} `connections`) and
   * survives logout.
   */
  connected?: string[];
  /**
   * `connections`: not a browser session but the record of one user's connected accounts (its id
   * is `connectionsId(userKey)`, never issued in a cookie; guards refuse it). Its `providers` are
   * the live connections, {@link lost} the ones that need a new login.
   *
   * `replaced`: a tombstone kept for a few seconds beside a session that a newer login of the same
   * browser replaced (session fixation: the old id is unauthenticated at once). It holds no
   * provider and no user key; guards refuse it like a missing session, and a page can tell the
   * browser to reload (another tab's login has just set the new cookie).
   */
  kind?: 'connections' | 'replaced';
  /** Connections records: providers whose refresh token died (`login_required`): who, and when (epoch ms). */
  lost?: Record<string, { userId: string; displayName?: string; at: number }>;
}

/** One login attempt: created at `/login`, consumed once at `/callback`. */
export interface LoginTransaction {
  /** The `state` value (256 random bits); the record's key. */
  state: string;
  /** The provider the login was started for (mix-up defence). */
  provider: string;
  /** Random id of the browser, from the signed transaction cookie. */
  browserId: string;
  /** PKCE verifier, when the provider uses PKCE. */
  codeVerifier?: string;
  /** OIDC nonce, when the provider uses one. */
  nonce?: string;
  /** Same-origin relative path to land on after login. */
  returnTo: string;
  /** Epoch ms. */
  createdAt: number;
}

/**
 * Where sessions, grants and login transactions live. Implementations encrypt every value at rest.
 * Pluggable: provide your own under the {@link TokenStore} token.
 */
export interface TokenStore {
  /** Reads a session, or undefined when unknown/expired/undecryptable. */
  getSession(id: string): Promise<SessionRecord | undefined>;
  /**
   * Answers a session read synchronously when the store can: the record, `null` when it knows
   * there is none, `undefined` when it cannot tell without I/O (then {@link getSession} is asked).
   * Optional: the memory store implements it so `SessionGuard` decides without a promise.
   */
  peekSession?(id: string): SessionRecord | null | undefined;
  /** Writes a session with a TTL. */
  setSession(session: SessionRecord, ttlMs: number): Promise<void>;
  /**
   * Rewrites a session with a TTL only while it still exists (Redis `SET ... XX`), in one atomic
   * step; returns false, writing nothing, when it is gone. Used to change a live session (a dropped
   * grant) without bringing back one a concurrent logout has just deleted.
   *
   * Optional so that stores written before it still compile; without it the library falls back to
   * {@link TokenStore.setSession}, which can recreate a session deleted between the read and the
   * write. Custom stores should implement it.
   */
  replaceSession?(session: SessionRecord, ttlMs: number): Promise<boolean>;
  /** Deletes a session and every grant it holds. */
  deleteSession(id: string): Promise<void>;

  /** Reads a grant, or undefined when unknown/expired/undecryptable. */
  getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined>;
  /**
   * Writes a grant when the stored version still equals `expectedVersion` (0 = must not exist);
   * returns the written grant, or undefined when another writer won.
   */
  compareAndSetGrant(
    sessionId: string,
    provider: string,
    grant: Omit<StoredGrant, 'version' | 'updatedAt'>,
    expectedVersion: number,
    ttlMs: number,
  ): Promise<StoredGrant | undefined>;
  /** Deletes a grant. */
  deleteGrant(sessionId: string, provider: string): Promise<void>;

  /**
   * Indexes a session under lookup keys (for back-channel logout: a provider's `sid` or `sub`, as
   * the library spells them) until `ttlMs` has passed, so that {@link deleteIndexedSessions} can
   * end it by any of them. Keys are secret-ish (they name users): stores keep their digests only.
   *
   * Optional, with the two below, so that stores written before them still compile; without them
   * a back-channel logout is refused (the library cannot end the sessions it names).
   */
  indexSession?(sessionId: string, keys: string[], ttlMs: number): Promise<void>;
  /**
   * Deletes every live session indexed under `key`, with every grant it holds, on every instance
   * that shares the store; returns how many sessions were deleted.
   */
  deleteIndexedSessions?(key: string): Promise<number>;
  /**
   * Records `key` for `ttlMs` when it is not recorded yet: true the first time, false for every
   * later call within the TTL, across instances (the replay memory of logout tokens' `jti`).
   */
  claimOnce?(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Claims up to `limit` grants whose `upkeepAt` is at or before `now`, oldest first, and moves
   * each claimed one's `upkeepAt` to `now + leaseMs` in the same atomic step, so that instances
   * claiming at the same moment get different grants. Owner ids come back as they were written
   * (stores keep them encrypted, never in clear: a session id is a bearer secret). An entry whose
   * grant has gone may come back once; callers skip it and the store forgets it.
   *
   * Optional, with {@link rescheduleUpkeep}: without them background upkeep is off for the store.
   */
  claimDueGrants?(now: number, limit: number, leaseMs: number): Promise<DueGrant[]>;
  /** Moves a grant's upkeep time (`undefined` = never) without rewriting the grant or its version. */
  rescheduleUpkeep?(ownerId: string, provider: string, upkeepAt: number | undefined): Promise<void>;

  /** Stores a login transaction with a TTL. */
  putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void>;
  /** Atomically reads and deletes a transaction: a state can be used once. */
  takeTransaction(state: string): Promise<LoginTransaction | undefined>;
}

/** Injection token of the {@link TokenStore}. */
export const TokenStore = Symbol('AUTH_CODE:TOKEN_STORE');

/** A mutual-exclusion lock shared by every instance of the app (Redis) or one process (memory). */
export interface TokenLock {
  /** Tries to take `key` for `ttlMs`; returns the owner token, or undefined when held elsewhere. */
  acquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases `key` when still owned by `owner` (compare-and-delete). */
  release(key: string, owner: string): Promise<void>;
}

/** Injection token of the {@link TokenLock}. */
export const TokenLock = Symbol('AUTH_CODE:TOKEN_LOCK');
