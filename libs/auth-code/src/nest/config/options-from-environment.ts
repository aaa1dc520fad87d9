import { randomBytes } from 'node:crypto';
import type { ProviderSource } from '../../core/provider-registry';
import { Messages } from '../../errors/error-messages';
import { oidc } from '../../providers/oidc/oidc.provider';
import { isolarcloud } from '../../providers/isolarcloud/isolarcloud.provider';
import { tencentCiam } from '../../providers/tencent-ciam/tencent-ciam.provider';
import { xt } from '../../providers/xt/xt.provider';
import type { AuthCodeModuleOptions } from '../auth-code.options';
import type { AuthCodeEnvironment } from './auth-code.environment';

/** Receives start-up warnings (ephemeral secrets). */
export type WarnFn = (message: string) => void;

/** The default redirect URI of a provider: `${AUTH_BASE_URL}/auth/<provider>/callback`. */
export function defaultRedirectUri(baseUrl: string, provider: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/auth/${provider}/callback`;
}

/** The public base URL: AUTH_BASE_URL, else http://localhost:$PORT. */
export function baseUrlOf(env: { AUTH_BASE_URL?: string; PORT?: number | string }): string {
  return (env.AUTH_BASE_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/** Builds the providers enabled by the environment: a provider is enabled when its credentials are set. */
export function providersFromEnvironment(env: AuthCodeEnvironment): ProviderSource[] {
  const base = baseUrlOf(env);
  const providers: ProviderSource[] = [];
  if (env.ISOLARCLOUD_APP_KEY) {
    providers.push(
      isolarcloud({
        appKey: env.ISOLARCLOUD_APP_KEY,
        secretKey: env.ISOLARCLOUD_SECRET_KEY!,
        applicationId: env.ISOLARCLOUD_APPLICATION_ID!,
        region: env.ISOLARCLOUD_REGION,
        gatewayUrl: env.ISOLARCLOUD_GATEWAY_URL,
        loginUrl: env.ISOLARCLOUD_LOGIN_URL,
        cloudId: env.ISOLARCLOUD_CLOUD_ID,
        redirectUri: env.ISOLARCLOUD_REDIRECT_URI ?? defaultRedirectUri(base, 'isolarcloud'),
      }),
    );
  }
  if (env.TENCENT_CIAM_CLIENT_ID) {
    providers.push(
      tencentCiam({
        issuer: env.TENCENT_CIAM_ISSUER!,
        clientId: env.TENCENT_CIAM_CLIENT_ID,
        clientSecret: env.TENCENT_CIAM_CLIENT_SECRET,
        authMethod: env.TENCENT_CIAM_AUTH_METHOD,
        pkce: env.TENCENT_CIAM_PKCE,
        redirectUri: env.TENCENT_CIAM_REDIRECT_URI ?? defaultRedirectUri(base, 'tencent-ciam'),
        http: { timeoutMs: env.AUTH_HTTP_TIMEOUT_MS },
      }),
    );
  }
  if (env.XT_CLIENT_ID) {
    providers.push(
      xt({
        clientId: env.XT_CLIENT_ID,
        clientSecret: env.XT_CLIENT_SECRET!,
        authorizeUrl: env.XT_AUTHORIZE_URL!,
        apiUrl: env.XT_API_URL,
        userinfoUrl: env.XT_USERINFO_URL,
        redirectUri: env.XT_REDIRECT_URI ?? defaultRedirectUri(base, 'xt'),
      }),
    );
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID) {
    providers.push(
      oidc({
        issuer: env.OIDC_ISSUER,
        clientId: env.OIDC_CLIENT_ID,
        clientSecret: env.OIDC_CLIENT_SECRET,
        scope: env.OIDC_SCOPE?.split(/[\s,]+/).filter(Boolean),
        redirectUri: env.OIDC_REDIRECT_URI ?? defaultRedirectUri(base, 'oidc'),
        http: { timeoutMs: env.AUTH_HTTP_TIMEOUT_MS },
      }),
    );
  }
  return providers;
}

/** Module options from a validated environment. */
export function optionsFromEnvironment(
  env: AuthCodeEnvironment,
  warn: WarnFn,
): AuthCodeModuleOptions {
  let sessionSecret = env.AUTH_SESSION_SECRET?.split(',').map((s) => s.trim());
  if (!sessionSecret) {
    warn(Messages.sessionSecretEphemeral('AUTH_SESSION_SECRET'));
    sessionSecret = [randomBytes(32).toString('base64url')];
  }
  return {
    baseUrl: baseUrlOf(env),
    sessionSecret,
    providers: providersFromEnvironment(env),
    httpTimeoutMs: env.AUTH_HTTP_TIMEOUT_MS,
    store: env.AUTH_STORE ?? 'memory',
    storeMigrate: env.AUTH_STORE_MIGRATE,
    storeSchema: env.AUTH_STORE_SCHEMA,
    storeTablePrefix: env.AUTH_STORE_TABLE_PREFIX,
    encryptionKeys: env.AUTH_ENCRYPTION_KEYS,
    refreshSkewSeconds: env.AUTH_REFRESH_SKEW_SECONDS,
    rateLimit: env.AUTH_RATE_LIMIT,
    environment: env.NODE_ENV,
  };
}
