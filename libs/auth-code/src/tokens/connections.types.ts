import type { Profile } from '../core/profile';

/**
 * Who a grant belongs to: the browser `session` (it ends at logout or with the session's TTL) or
 * the `user` (a connected account: it survives logout, is found again at the user's next login and
 * can be used without a request, by `TokenService.forUser()` and background upkeep).
 */
export type GrantScope = 'session' | 'user';

/**
 * Decides who "the user" is at a login: a stable key of your own (your user table's id), so that
 * several providers' logins map to one user (account linking). `current` is the browser's session
 * when it has one (a second provider's login). @default the current session's key, else the
 * login's `provider:id`
 */
export type ResolveUserKey = (
  profile: Profile,
  current: { userKey?: string; user: Profile } | undefined,
) => string | Promise<string>;

/** One connected account, as `GET /api/connections` lists it. No token is ever in it. */
export interface Connection {
  /** Provider id. */
  provider: string;
  /** The user's id at the provider. */
  userId: string;
  /** The user's name at the provider, when it gives one. */
  displayName?: string;
  /** Who the grant belongs to. */
  scope: GrantScope;
  /** `connected`, or `login_required` when its refresh token died and the user must log in again. */
  status: 'connected' | 'login_required';
  /** Access-token expiry, epoch ms. */
  expiresAt?: number;
  /** Refresh-token expiry, epoch ms, when the provider says. */
  refreshExpiresAt?: number;
  /** When the tokens were last refreshed, epoch ms (absent: never since the login). */
  lastRefreshAt?: number;
}

/** What `onLoginRequired` is told when a grant's refresh token turns out dead. Reported once per death. */
export interface LoginRequiredEvent {
  /** Provider id. */
  provider: string;
  /** The user's key, for a user-scoped grant (a session-scoped grant names no user: its session ends). */
  userKey?: string;
  /** The user's id at the provider. */
  userId?: string;
  /** Our error code (`login_required`) and the provider's, e.g. `invalid_grant`. */
  code: string;
  /** The provider's reason, when it gave one. */
  reason?: string;
  /** Epoch ms. */
  at: number;
}
