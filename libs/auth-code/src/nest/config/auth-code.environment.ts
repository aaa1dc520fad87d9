import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import {
  emptyToUndefined,
  toInt,
  URL_OPTIONS as URL_OPTS,
} from '../../providers/descriptor/environment-transforms';
import type { ProviderDescriptor } from '../../providers/descriptor/provider-descriptor';

/** One or more comma-separated secrets of at least 32 characters each (spaces around commas ok). */
const SECRET_LIST = /^\s*[^,\s][^,]{30,}[^,\s]\s*(,\s*[^,\s][^,]{30,}[^,\s]\s*)*$/;

/**
 * The library's own environment variables (`AUTH_*`); each provider's live in its folder (its
 * descriptor's schema). The names are part of the public interface and are documented in the
 * README. All are optional here; `validateAuthCodeEnvironment` reports every problem at once.
 */
export class AuthCodeEnvironment {
  /** `production` requires AUTH_SESSION_SECRET and AUTH_ENCRYPTION_KEYS. */
  @IsOptional() @IsString() NODE_ENV?: string;
  /** Port of the HTTP server. @default 3000 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  /** Public base URL. @default http://localhost:$PORT */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) AUTH_BASE_URL?: string;
  /** Cookie signing secret(s), comma separated, at least 32 characters each. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString()
  // Checked per entry: the first one signs, so a short first entry must not hide behind a long list.
  @Matches(SECRET_LIST, {
    message: 'AUTH_SESSION_SECRET: every comma-separated secret must be at least 32 characters',
  })
  AUTH_SESSION_SECRET?: string;
  /**
   * `auto` (default): demo fakes when no provider is configured, never with NODE_ENV=production;
   * `on`: also in production; `off`: never.
   */
  @IsOptional() @IsIn(['auto', 'on', 'off']) AUTH_DEMO?: 'auto' | 'on' | 'off';
  /** Timeout of every upstream call, ms. @default 5000 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(120000) AUTH_HTTP_TIMEOUT_MS?: number;
  /** Largest upstream response body read, bytes after decompression. @default 1048576 (1 MiB) */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  AUTH_MAX_RESPONSE_BYTES?: number;
  /** `memory` (default), a `redis://` / `rediss://`, `redis-cluster://` or `postgres://` URL. */
  @IsOptional()
  @Matches(/^(memory|rediss?:\/\/.+|redis-cluster:\/\/.+|postgres(ql)?:\/\/.+)$/, {
    message:
      'AUTH_STORE must be "memory" or a redis://, rediss://, redis-cluster://, postgres:// or postgresql:// URL',
  })
  AUTH_STORE?: string;
  /** `auto`: apply the PostgreSQL store's migration at start-up; `off`: never. @default auto, off in production */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(['auto', 'off']) AUTH_STORE_MIGRATE?:
    'auto' | 'off';
  /** `on`: waiters for another instance's refresh are woken by message; `off`: they poll. @default on */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(['on', 'off']) AUTH_STORE_NOTIFY?: 'on' | 'off';
  /** Schema of the PostgreSQL store's tables. @default auth_code */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z_][a-z0-9_]{0,39}$/, {
    message: 'AUTH_STORE_SCHEMA must be lowercase letters, digits and _ (at most 40)',
  })
  AUTH_STORE_SCHEMA?: string;
  /** Prefix of the PostgreSQL store's table names. @default none */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[a-z_][a-z0-9_]{0,29}$/, {
    message: 'AUTH_STORE_TABLE_PREFIX must be lowercase letters, digits and _ (at most 30)',
  })
  AUTH_STORE_TABLE_PREFIX?: string;
  /** Encryption keys, comma separated; the first encrypts. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() AUTH_ENCRYPTION_KEYS?: string;
  /** Refresh skew, seconds. @default 60 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600) AUTH_REFRESH_SKEW_SECONDS?: number;
  /** Requests per minute per client on /auth/*. @default 300 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) AUTH_RATE_LIMIT?: number;
  /** Unfinished login attempts per client (IPv4 address, IPv6 /64) and process; then 429. @default 100 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) AUTH_LOGIN_ATTEMPTS_PER_CLIENT?: number;
  /** Unfinished login attempts per process in total; then 503. @default 10000 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) AUTH_LOGIN_ATTEMPTS_TOTAL?: number;

  /** `on`, `off` or provider ids (comma separated): logout at the provider too. @default off */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^(on|off|[a-z0-9][a-z0-9_-]{0,63}(\s*,\s*[a-z0-9][a-z0-9_-]{0,63})*)$/, {
    message: 'AUTH_PROVIDER_LOGOUT must be on, off or a comma-separated list of provider ids',
  })
  AUTH_PROVIDER_LOGOUT?: string;
  /** Where a provider's logout page sends the browser back. @default base URL + /auth/logout/return */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsUrl(URL_OPTS)
  AUTH_POST_LOGOUT_REDIRECT_URI?: string;

  /** `session` (default): grants end with the browser session; `user`: connected accounts kept at logout. */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(['session', 'user']) AUTH_GRANT_SCOPE?:
    'session' | 'user';
  /** `on`: background token upkeep (refresh due connections while users are away). @default off */
  @IsOptional() @Transform(emptyToUndefined) @IsIn(['on', 'off']) AUTH_UPKEEP?: 'on' | 'off';
  /** Seconds between two upkeep rounds (plus up to 20 % jitter). @default 300 */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(86400)
  AUTH_UPKEEP_INTERVAL_SECONDS?: number;

  /**
   * Each enabled provider's own variables, validated by its descriptor's schema (filled in by
   * `validateAuthCodeEnvironment`; not an environment variable).
   */
  enabledProviders?: EnabledProviderEnvironment[];
}

/** An enabled provider and its validated variables. */
export interface EnabledProviderEnvironment {
  /** The provider's descriptor. */
  descriptor: ProviderDescriptor;
  /** Its variables, as its schema typed them. */
  env: object;
}
