import { randomBytes } from 'node:crypto';
import type { ProviderSource } from '../../core/provider-registry';
import { Messages } from '../../errors/error-messages';
import type { AuthCodeModuleOptions } from '../options/auth-code.options';
import { baseUrlOf, defaultRedirectUri } from '../../providers/descriptor/redirect-uri';
import type { AuthCodeEnvironment } from './auth-code.environment';

/** Receives start-up warnings (ephemeral secrets). */
export type WarnFn = (message: string) => void;

/** Builds the providers enabled by a validated environment, in configuration order. */
export function providersFromEnvironment(env: AuthCodeEnvironment): ProviderSource[] {
  const baseUrl = baseUrlOf(env);
  const http = {
    timeoutMs: env.AUTH_HTTP_TIMEOUT_MS,
    maxResponseBytes: env.AUTH_MAX_RESPONSE_BYTES,
  };
  return (env.enabledProviders ?? []).map(({ descriptor, env: own }) =>
    descriptor.fromEnvironment(own, {
      baseUrl,
      redirectUri: defaultRedirectUri(baseUrl, descriptor.id),
      http,
    }),
  );
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
    maxResponseBytes: env.AUTH_MAX_RESPONSE_BYTES,
    store: env.AUTH_STORE ?? 'memory',
    storeMigrate: env.AUTH_STORE_MIGRATE,
    storeNotify: env.AUTH_STORE_NOTIFY,
    storeSchema: env.AUTH_STORE_SCHEMA,
    storeTablePrefix: env.AUTH_STORE_TABLE_PREFIX,
    encryptionKeys: env.AUTH_ENCRYPTION_KEYS,
    refreshSkewSeconds: env.AUTH_REFRESH_SKEW_SECONDS,
    rateLimit: env.AUTH_RATE_LIMIT,
    loginAttempts: {
      perClient: env.AUTH_LOGIN_ATTEMPTS_PER_CLIENT,
      total: env.AUTH_LOGIN_ATTEMPTS_TOTAL,
    },
    providerLogout: providerLogoutOf(env.AUTH_PROVIDER_LOGOUT),
    postLogoutRedirectUri: env.AUTH_POST_LOGOUT_REDIRECT_URI,
    grantScope: env.AUTH_GRANT_SCOPE,
    upkeep:
      env.AUTH_UPKEEP === 'on'
        ? { intervalSeconds: env.AUTH_UPKEEP_INTERVAL_SECONDS ?? 300 }
        : false,
    environment: env.NODE_ENV,
  };
}

/** `AUTH_PROVIDER_LOGOUT`: `on` → every provider, `off`/unset → none, else the listed ids. */
function providerLogoutOf(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'off') return false;
  if (value === 'on') return true;
  return value.split(',').map((id) => id.trim());
}
