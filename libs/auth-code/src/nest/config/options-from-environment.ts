import { randomBytes } from 'node:crypto';
import type { ProviderSource } from '../../core/provider-registry';
import { parseAuthorizeParams } from '../../engine/authorize-params';
import type { HttpClientOptions } from '../../engine/http-client';
import { Messages } from '../../errors/error-messages';
import { oidc } from '../../providers/oidc/oidc.provider';
import { isolarcloud } from '../../providers/isolarcloud/isolarcloud.provider';
import { tencentCiam } from '../../providers/tencent-ciam/tencent-ciam.provider';
import { xt } from '../../providers/xt/xt.provider';
import type { AuthCodeModuleOptions } from '../auth-code.options';
import type { AuthCodeEnvironment } from './auth-code.environment';
import { splitList } from './id-token-algorithms';

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

/** The HTTP client options of providers that make their own calls (discovery, JWKS). */
function upstreamHttp(env: AuthCodeEnvironment): HttpClientOptions {
  return { timeoutMs: env.AUTH_HTTP_TIMEOUT_MS, maxResponseBytes: env.AUTH_MAX_RESPONSE_BYTES };
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
        http: upstreamHttp(env),
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
        authorizeParams: authorizeParamsOf(env.OIDC_AUTHORIZE_PARAMS),
        algorithms: env.OIDC_ID_TOKEN_ALGS ? splitList(env.OIDC_ID_TOKEN_ALGS) : undefined,
        redirectUri: env.OIDC_REDIRECT_URI ?? defaultRedirectUri(base, 'oidc'),
        http: upstreamHttp(env),
      }),
    );
  }
  return providers;
}

/** `OIDC_AUTHORIZE_PARAMS` as parameters; validation has refused a bad value before. */
function authorizeParamsOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const read = parseAuthorizeParams(text);
  return 'params' in read ? read.params : undefined;
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
    encryptionKeys: env.AUTH_ENCRYPTION_KEYS,
    refreshSkewSeconds: env.AUTH_REFRESH_SKEW_SECONDS,
    rateLimit: env.AUTH_RATE_LIMIT,
    loginAttempts: {
      perClient: env.AUTH_LOGIN_ATTEMPTS_PER_CLIENT,
      total: env.AUTH_LOGIN_ATTEMPTS_TOTAL,
    },
    environment: env.NODE_ENV,
  };
}
