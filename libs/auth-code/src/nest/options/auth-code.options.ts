import { DEFAULT_MAX_RESPONSE_BYTES } from '../../engine/http-client';
import type { ProviderApiDescription } from '../../api/provider-api.description';
import type { ProviderSource } from '../../core/provider-registry';
import type { MemoryTokenStoreLimits } from '../../stores/memory-token.store';
import type { LoginAttemptLimits } from '../transactions/login-attempt.budget';
import type { TokenLock, TokenStore } from '../../stores/token-store.interface';
import type { StoreNotifier } from '../../stores/store-notifier.interface';
import type { AuthTelemetry } from '../../telemetry/telemetry';
import type {
  GrantScope,
  LoginRequiredEvent,
  ResolveUserKey,
} from '../../tokens/connections.types';

/** Options of `AuthCodeModule.forRoot(options)` / `forRootAsync()`. */
export interface AuthCodeModuleOptions {
  /**
   * Public base URL of the app (`AUTH_BASE_URL`), e.g. `https://app.example.com`. Redirect URIs
   * default to `${baseUrl}/auth/<provider>/callback`; it also decides whether cookies are Secure.
   */
  baseUrl: string;
  /** Secret(s) signing session and transaction cookies (`AUTH_SESSION_SECRET`); the first signs. */
  sessionSecret: string | string[];
  /** The enabled providers (definitions, or lazy ones such as `oidc()`). */
  providers: ProviderSource[];
  /** Timeout of every upstream call, ms (`AUTH_HTTP_TIMEOUT_MS`). @default 5000 */
  httpTimeoutMs?: number;
  /**
   * Largest upstream response body read, in bytes after decompression (`AUTH_MAX_RESPONSE_BYTES`).
   * A longer body (a gzip bomb, an endless stream) is cut off while it streams in and the call
   * fails with `invalid_response` (502); nothing is stored.
   * @default 1048576 (1 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Where sessions, tokens and login transactions live (`AUTH_STORE`): `'memory'`, a Redis URL
   * (`redis://127.0.0.1:6379`, `rediss://…`), a Redis Cluster URL
   * (`redis-cluster://127.0.0.1:7000,127.0.0.1:7001`), a PostgreSQL URL
   * (`postgres://user@127.0.0.1:5432/db`, `postgresql://…`), or your own {@link TokenStore}. A
   * store named by URL gets the lock of the same kind on the same connection; a `RedisTokenStore`
   * or `PostgresTokenStore` instance too; any other store an in-process lock unless you give `lock`.
   * @default 'memory'
   */
  store?: 'memory' | string | TokenStore;
  /** Your own lock, with your own store. */
  lock?: TokenLock;
  /**
   * Prefix of every key the Redis (and Redis Cluster) store writes; its lock keys get
   * `<prefix>lock:`. Apps that share sessions must use the same prefix; separate apps (or test
   * runs) on one Redis use different ones. No `{` or `}` with Redis Cluster. Ignored by the other
   * stores and by a store you provide.
   * @default 'auth-code:'
   */
  storeKeyPrefix?: string;
  /**
   * Schema of the PostgreSQL store's tables (`AUTH_STORE_SCHEMA`); lowercase letters, digits, `_`.
   * @default 'auth_code'
   */
  storeSchema?: string;
  /**
   * Prefix of the PostgreSQL store's table names (`AUTH_STORE_TABLE_PREFIX`), e.g. `myapp_`, for
   * several apps in one schema. @default ''
   */
  storeTablePrefix?: string;
  /**
   * Whether start-up applies the PostgreSQL store's schema migration (`AUTH_STORE_MIGRATE`):
   * `'auto'` creates or upgrades the tables before the app serves, `'off'` leaves that to your
   * deploy step (`migratePostgresTokenStore()`, or the SQL of `postgresTokenStoreSql()`).
   * @default 'off' when `environment` is `production`, else 'auto'
   */
  storeMigrate?: 'auto' | 'off';
  /**
   * Whether callers waiting for another instance's refresh are woken by a message the moment it is
   * written (`AUTH_STORE_NOTIFY`): Redis pub/sub (one more connection per process), PostgreSQL
   * `LISTEN`/`NOTIFY` (one more connection per process), in-process with the memory store. `'off'`:
   * they poll the store only (20 ms growing to 250 ms). With a store of your own, give `notifier`.
   * @default 'on'
   */
  storeNotify?: 'on' | 'off';
  /** Your own {@link StoreNotifier}, with your own store. @default the store's kind (see `storeNotify`) */
  notifier?: StoreNotifier;
  /** Encryption keys, comma separated (`AUTH_ENCRYPTION_KEYS`); the first encrypts, all decrypt. */
  encryptionKeys?: string;
  /** Refresh when the token expires within this many seconds (`AUTH_REFRESH_SKEW_SECONDS`). @default 60 */
  refreshSkewSeconds?: number;
  /** Lifetime of a login attempt, seconds. @default 600 */
  transactionTtlSeconds?: number;
  /**
   * Budget of unfinished login attempts per process, per client (`AUTH_LOGIN_ATTEMPTS_PER_CLIENT`)
   * and in total (`AUTH_LOGIN_ATTEMPTS_TOTAL`), and how many pending-login cookies one browser
   * holds (`perBrowser`, the oldest is expired beyond it). A full budget answers 429/503 to new
   * logins and never touches existing sessions.
   * @default { perClient: 100, total: 10000, perBrowser: 5 }
   */
  loginAttempts?: LoginAttemptLimits & {
    /** Pending-login cookies one browser holds. @default 5 */
    perBrowser?: number;
  };
  /**
   * Size limits of the memory store (`store: 'memory'`); each kind of record has its own, so
   * login attempts can never evict a session or a grant. Ignored by other stores.
   * @default { maxSessions: 20000, maxGrants: 40000, maxTransactions: 10000 }
   */
  memoryStore?: MemoryTokenStoreLimits;
  /** Lifetime of a session, seconds. @default 604800 (7 days) */
  sessionTtlSeconds?: number;
  /** `NODE_ENV`-like switch: `production` refuses to start without encryption keys. */
  environment?: string;
  /**
   * Requests per minute per client on the routes `AuthRateLimitGuard` guards (`/auth/*`,
   * `AUTH_RATE_LIMIT`). @default 300
   */
  rateLimit?: number;
  /**
   * Where `SessionGuard` sends a browser without a session (`?returnTo=` is appended): a page
   * with the login buttons. @default '/'
   */
  loginPath?: string;
  /**
   * Logout at the provider (`AUTH_PROVIDER_LOGOUT`): a browser's `POST /auth/logout` ends the
   * session here, then answers 303 to the logout page of the session's login provider (OIDC
   * RP-Initiated Logout 1.0 `end_session_endpoint` with `id_token_hint`, Tencent CIAM's portal
   * logout), which sends the browser back to {@link postLogoutRedirectUri}. `true`: every provider
   * whose definition has a logout page; a list of provider ids: only those.
   * @default false
   */
  providerLogout?: boolean | string[];
  /**
   * Where a provider's logout page sends the browser back (`AUTH_POST_LOGOUT_REDIRECT_URI`;
   * register it at the provider): the route that calls `AuthSessionService.completeProviderLogout`.
   * @default `${baseUrl}/auth/logout/return`
   */
  postLogoutRedirectUri?: string;
  /**
   * Who a provider's grant belongs to (`AUTH_GRANT_SCOPE`): `'session'` — it ends with the
   * browser session (logout, session TTL); `'user'` — a connected account: logout keeps it, the
   * user's next login finds it again, `TokenService.forUser()` and background upkeep use it while
   * the user is away. One scope for every provider, or per provider id (others: `session`).
   * @default 'session'
   */
  grantScope?: GrantScope | Partial<Record<string, GrantScope>>;
  /**
   * Who "the user" is at a login, for user-scoped grants: return your own user's id to link
   * several providers to one user. @default the current session's user key, else the login's
   * `provider:id`
   */
  resolveUserKey?: ResolveUserKey;
  /** How long a connection is kept after its last login or refresh, seconds. @default 34560000 (400 days) */
  connectionTtlSeconds?: number;
  /**
   * Background token upkeep (`AUTH_UPKEEP=on`, `AUTH_UPKEEP_INTERVAL_SECONDS`): every interval
   * (with jitter) refresh the user-scoped grants whose access token is due, and every grant whose
   * refresh token nears its own expiry — exactly once across instances. Needs a store with the
   * upkeep index (memory, Redis, Redis Cluster, PostgreSQL). With the PostgreSQL store each round
   * also deletes expired rows. `true`: every 300 s.
   * @default false
   */
  upkeep?: boolean | { intervalSeconds?: number; batchSize?: number; concurrency?: number };
  /**
   * Told once each time a grant's refresh token turns out dead (revoked, expired, reuse detected),
   * in a request or in upkeep: the grant is dropped — a connection shows `login_required` — and is
   * never retried. Send the user an e-mail, mark your own records. It is also logged at warn.
   */
  onLoginRequired?: (event: LoginRequiredEvent) => void;
  /** API descriptions for `ProviderApiClient`, added to (or replacing, by provider id) the seed providers' ones. */
  apis?: ProviderApiDescription[];
  /**
   * Where spans and metrics of logins, refreshes and provider calls go: `openTelemetry({
   * tracerProvider, meterProvider })` for providers of your own, `false` for none.
   * @default OpenTelemetry's global providers when `@opentelemetry/api` is installed, else none
   */
  telemetry?: AuthTelemetry | false;
}

/** The options after defaults, as the module's providers see them. */
export type ResolvedAuthCodeOptions = Required<
  Pick<
    AuthCodeModuleOptions,
    | 'baseUrl'
    | 'providers'
    | 'httpTimeoutMs'
    | 'maxResponseBytes'
    | 'refreshSkewSeconds'
    | 'transactionTtlSeconds'
    | 'sessionTtlSeconds'
    | 'rateLimit'
    | 'loginPath'
  >
> &
  AuthCodeModuleOptions & { sessionSecrets: string[]; secure: boolean };

/** Applies defaults. */
export function resolveOptions(o: AuthCodeModuleOptions): ResolvedAuthCodeOptions {
  return {
    ...o,
    httpTimeoutMs: o.httpTimeoutMs ?? 5000,
    maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    refreshSkewSeconds: o.refreshSkewSeconds ?? 60,
    transactionTtlSeconds: o.transactionTtlSeconds ?? 600,
    sessionTtlSeconds: o.sessionTtlSeconds ?? 7 * 24 * 3600,
    rateLimit: o.rateLimit ?? 300,
    loginPath: o.loginPath ?? '/',
    sessionSecrets: Array.isArray(o.sessionSecret) ? o.sessionSecret : [o.sessionSecret],
    secure: o.baseUrl.startsWith('https://'),
  };
}
