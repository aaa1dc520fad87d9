import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** One or more comma-separated secrets of at least 32 characters each (spaces around commas ok). */
const SECRET_LIST = /^\s*[^,\s][^,]{30,}[^,\s]\s*(,\s*[^,\s][^,]{30,}[^,\s]\s*)*$/;
const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0'
        ? false
        : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the library reads; the names are part of the public interface and
 * are documented in the README. All are optional here; which ones a provider needs is checked by
 * `validateAuthCodeEnvironment`, which reports every problem at once.
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
  /** `auto` (default): demo fakes when no provider is configured; `off`: never. */
  @IsOptional() @IsIn(['auto', 'off']) AUTH_DEMO?: 'auto' | 'off';
  /** Timeout of every upstream call, ms. @default 5000 */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(120000) AUTH_HTTP_TIMEOUT_MS?: number;
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

  @IsOptional() @Transform(emptyToUndefined) @IsString() ISOLARCLOUD_APP_KEY?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() ISOLARCLOUD_SECRET_KEY?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d+$/, { message: 'ISOLARCLOUD_APPLICATION_ID must be the numeric App ID' })
  ISOLARCLOUD_APPLICATION_ID?: string;
  @IsOptional() @IsIn(['cn', 'intl', 'eu', 'au', 'in']) ISOLARCLOUD_REGION?:
    'cn' | 'intl' | 'eu' | 'au' | 'in';
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) ISOLARCLOUD_GATEWAY_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) ISOLARCLOUD_LOGIN_URL?: string;
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d+$/, { message: 'ISOLARCLOUD_CLOUD_ID must be a number' })
  ISOLARCLOUD_CLOUD_ID?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) ISOLARCLOUD_REDIRECT_URI?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) TENCENT_CIAM_ISSUER?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() TENCENT_CIAM_CLIENT_ID?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() TENCENT_CIAM_CLIENT_SECRET?: string;
  @IsOptional()
  @IsIn(['client_secret_post', 'client_secret_basic'])
  TENCENT_CIAM_AUTH_METHOD?: 'client_secret_post' | 'client_secret_basic';
  @IsOptional() @Transform(toBool) @IsBoolean() TENCENT_CIAM_PKCE?: boolean;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) TENCENT_CIAM_REDIRECT_URI?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsString() XT_CLIENT_ID?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() XT_CLIENT_SECRET?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) XT_AUTHORIZE_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) XT_API_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) XT_USERINFO_URL?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) XT_REDIRECT_URI?: string;

  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) OIDC_ISSUER?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_CLIENT_ID?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_CLIENT_SECRET?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_SCOPE?: string;
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTS) OIDC_REDIRECT_URI?: string;
}

/** Variables that must come together: when the first is set, the others are required. */
export const PROVIDER_GROUPS: ReadonlyArray<{
  provider: string;
  enabledBy: Array<keyof AuthCodeEnvironment>;
  requires: Array<keyof AuthCodeEnvironment>;
}> = [
  {
    provider: 'isolarcloud',
    enabledBy: ['ISOLARCLOUD_APP_KEY'],
    requires: ['ISOLARCLOUD_SECRET_KEY', 'ISOLARCLOUD_APPLICATION_ID'],
  },
  {
    provider: 'tencent-ciam',
    enabledBy: ['TENCENT_CIAM_CLIENT_ID'],
    requires: ['TENCENT_CIAM_ISSUER'],
  },
  {
    provider: 'xt',
    enabledBy: ['XT_CLIENT_ID'],
    requires: ['XT_CLIENT_SECRET', 'XT_AUTHORIZE_URL'],
  },
  {
    provider: 'oidc',
    enabledBy: ['OIDC_ISSUER', 'OIDC_CLIENT_ID'],
    requires: ['OIDC_ISSUER', 'OIDC_CLIENT_ID'],
  },
];
