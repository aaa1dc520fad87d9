/**
 * nestjs-auth-code: OAuth 2.0 authorization-code login for NestJS, for providers that bend RFC 6749
 * (iSolarCloud, Tencent Cloud CIAM, XT.COM) and any standard OAuth2/OIDC provider.
 */
// protocol core (plain TypeScript)
export * from './core/token-set';
export * from './core/profile';
export * from './errors/operation';
export * from './core/provider-definition';
export * from './core/provider-registry';
export * from './core/pkce';
export * from './core/dpop-key';
export * from './core/provider-logout';
export * from './engine/auth-code.engine';
export * from './engine/http-client';
export { buildAuthorizeUrl, type AuthorizeRequest } from './engine/authorize-url.builder';
export { pushAuthorizationRequest } from './engine/pushed-authorization';
export { buildEndSessionUrl, type EndSessionRequest } from './engine/end-session-url.builder';
export { createDpopKey } from './engine/dpop-key';
export { dpopProof, type DpopProofInput } from './engine/dpop-proof';
export {
  sendWithDpop,
  sendWithAccessToken,
  isDpopBound,
  type DpopCall,
} from './engine/dpop.sender';
export { readTokenResponse } from './engine/token-response.reader';
export { TOKEN_FIELD_LIMITS, MAX_TOKEN_LIFETIME_MS } from './engine/token-fields';
export { KnownSecrets } from './core/known-secrets';
export * from './errors/auth-code.errors';
export * from './errors/error-codes';
// telemetry (OpenTelemetry through the optional @opentelemetry/api)
export * from './telemetry/telemetry';
export {
  openTelemetry,
  TELEMETRY_SCOPE,
  type OpenTelemetryOptions,
} from './telemetry/open-telemetry';
export { TELEMETRY_ATTRIBUTES, TELEMETRY_METRICS } from './telemetry/telemetry-attributes';
export type { RefreshEvent, RefreshObserver } from './telemetry/refresh-telemetry';
// provider APIs (plain TypeScript)
export * from './api/provider-api.description';
export * from './api/provider-api.reader';
export * from './api/provider-api.caller';
export * from './providers/isolarcloud/isolarcloud.api';
export * from './providers/tencent-ciam/tencent-ciam.api';
export * from './providers/xt/xt.api';
// providers: the descriptors everything that loops over providers is derived from
export * from './providers/provider-list';
export * from './providers/descriptor/provider-descriptor';
export * from './providers/descriptor/redirect-uri';
export * from './providers/isolarcloud/isolarcloud.provider';
export * from './providers/tencent-ciam/tencent-ciam.provider';
export * from './providers/xt/xt.provider';
export * from './providers/oidc/oidc.provider';
export {
  withIdTokenValidation,
  IdTokenValidator,
  type IdTokenValidationOptions,
} from './providers/oidc/id-token.validator';
export { checkCallbackIssuer } from './engine/callback-issuer.check';
export {
  LogoutTokenValidator,
  LOGOUT_TOKEN_MAX_AGE_SECONDS,
  type LogoutTokenValidatorOptions,
} from './providers/oidc/logout-token.validator';
export * from './providers/oauth2/oauth2.provider';
export * from './providers/isolarcloud/isolarcloud.strategy';
export * from './providers/tencent-ciam/tencent-ciam.strategy';
export * from './providers/xt/xt.strategy';
// tokens
export * from './stores/token-store.interface';
export * from './stores/memory-token.store';
export * from './stores/memory-token.lock';
export * from './stores/redis-token.store';
export * from './stores/redis-token.lock';
export type { RedisClient, RedisConnectionOptions, RedisSource } from './stores/redis-connection';
export * from './stores/postgres-token.store';
export * from './stores/postgres-token.lock';
export type { PostgresConnectionOptions, PostgresSource } from './stores/postgres-connection';
export * from './stores/store-notifier.interface';
export * from './stores/memory-store.notifier';
export * from './stores/redis-store.notifier';
export * from './stores/postgres-store.notifier';
export type { GrantWaitersOptions } from './stores/grant-waiters';
export {
  migratePostgresTokenStore,
  type PostgresMigrateOptions,
  type PostgresMigrateResult,
} from './stores/postgres-migrate';
export {
  postgresTokenStoreSql,
  POSTGRES_STORE_MIGRATIONS,
  type PostgresMigration,
  type PostgresStoreNaming,
  type PostgresStoreTables,
} from './stores/postgres-schema';
export * from './tokens/crypto/key-ring';
export * from './tokens/token.service';
export * from './tokens/grant-upkeep';
export { connectionsId } from './tokens/grant-owner';
export * from './tokens/backchannel-logout.service';
export { LogoutLookupKeys } from './tokens/logout-lookup-keys';
// Nest face
export * from './nest/auth-code.module';
export * from './nest/options/auth-code.options';
export * from './nest/options/auth-code.constants';
export * from './nest/strategies/engine-oauth2.strategy';
export * from './nest/strategies/auth-code.strategy';
export * from './nest/guards/auth-code-login.guard';
export * from './nest/guards/session.guard';
export * from './nest/guards/auth-rate-limit.guard';
export * from './nest/interceptors/token-refresh.interceptor';
export * from './nest/decorators/public.decorator';
export * from './nest/decorators/current-user.decorator';
export * from './nest/decorators/provider-token.decorator';
export * from './nest/decorators/provider-token.pipe';
export * from './nest/decorators/provider-api.decorator';
export * from './nest/api/provider-api.client';
export * from './nest/health/auth-code.health-indicator';
export {
  AuthCodeHealth,
  STORE_HEALTH_KEY,
  providerHealthKey,
  type AuthCodeHealthOptions,
} from './health/auth-code-health';
export type {
  AuthCodeHealthDetail,
  AuthCodeHealthResult,
  HealthStatus,
} from './health/health-result';
export * from './nest/session/authenticated-request';
export type { HttpRequestLike } from './nest/http/http-request';
export type { HttpResponseLike } from './nest/http/http-response';
export * from './nest/session/session-required.error';
export { safeReturnTo } from './nest/transactions/return-to';
export * from './nest/filters/auth-code-exception.filter';
export * from './nest/session/auth-session.service';
export { isCrossSite } from './nest/session/same-origin.check';
export * from './nest/session/provider-logout';
export * from './nest/session/backchannel-logout.handler';
export * from './nest/http/cookie-signer';
export * from './nest/transactions/login-transaction.service';
export {
  DEFAULT_LOGIN_ATTEMPT_LIMITS,
  type LoginAttemptLimits,
} from './nest/transactions/login-attempt.budget';
export { RESERVED_AUTHORIZE_PARAMS } from './engine/authorize-params';
export * from './nest/config/auth-code.environment';
export * from './nest/config/validate-environment';
export * from './nest/config/options-from-environment';
export { authCodeConfig } from './nest/config/auth-code.config';
