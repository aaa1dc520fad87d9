/**
 * nestjs-auth-code: OAuth 2.0 authorization-code login for NestJS, for providers that bend RFC 6749
 * (iSolarCloud, Tencent Cloud CIAM, XT.COM) and any standard OAuth2/OIDC provider.
 */
// protocol core (plain TypeScript)
export * from './core/token-set';
export * from './core/operation';
export * from './core/provider-definition';
export * from './core/provider-registry';
export * from './core/pkce';
export * from './engine/auth-code.engine';
export * from './engine/http-client';
export { buildAuthorizeUrl, type AuthorizeRequest } from './engine/authorize-url.builder';
export { readTokenResponse } from './engine/token-response.reader';
export * from './errors/auth-code.errors';
export * from './errors/error-codes';
// provider APIs (plain TypeScript)
export * from './api/provider-api.description';
export * from './api/provider-api.reader';
export * from './api/provider-api.caller';
export * from './api/default-provider-apis';
export * from './providers/isolarcloud/isolarcloud.api';
export * from './providers/tencent-ciam/tencent-ciam.api';
export * from './providers/xt/xt.api';
// providers
export * from './providers/isolarcloud/isolarcloud.provider';
export * from './providers/tencent-ciam/tencent-ciam.provider';
export * from './providers/xt/xt.provider';
export * from './providers/oidc/oidc.provider';
export {
  withIdTokenValidation,
  IdTokenValidator,
  type IdTokenValidationOptions,
} from './providers/oidc/id-token.validator';
export { checkCallbackIssuer } from './providers/oidc/callback-issuer.check';
export * from './providers/oauth2/oauth2.provider';
export * from './providers/isolarcloud/isolarcloud.strategy';
export * from './providers/tencent-ciam/tencent-ciam.strategy';
export * from './providers/xt/xt.strategy';
// tokens
export * from './tokens/stores/token-store.interface';
export * from './tokens/stores/memory-token.store';
export * from './tokens/stores/memory-token.lock';
export * from './tokens/stores/redis-token.store';
export * from './tokens/stores/redis-token.lock';
export type {
  RedisClient,
  RedisConnectionOptions,
  RedisSource,
} from './tokens/stores/redis-connection';
export * from './tokens/stores/postgres-token.store';
export * from './tokens/stores/postgres-token.lock';
export type {
  PostgresConnectionOptions,
  PostgresSource,
} from './tokens/stores/postgres-connection';
export {
  migratePostgresTokenStore,
  type PostgresMigrateOptions,
  type PostgresMigrateResult,
} from './tokens/stores/postgres-migrate';
export {
  postgresTokenStoreSql,
  POSTGRES_STORE_MIGRATIONS,
  type PostgresMigration,
  type PostgresStoreNaming,
  type PostgresStoreTables,
} from './tokens/stores/postgres-schema';
export * from './tokens/crypto/key-ring';
export * from './tokens/token.service';
// Nest face
export * from './nest/auth-code.module';
export * from './nest/auth-code.options';
export * from './nest/auth-code.constants';
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
export * from './nest/session/authenticated-request';
export * from './nest/session/session-required.error';
export { safeReturnTo } from './nest/transactions/return-to';
export * from './nest/filters/auth-code-exception.filter';
export * from './nest/session/auth-session.service';
export * from './nest/session/cookie-signer';
export * from './nest/transactions/login-transaction.service';
export * from './nest/config/auth-code.environment';
export * from './nest/config/validate-environment';
export * from './nest/config/options-from-environment';
export { authCodeConfig } from './nest/config/auth-code.config';
