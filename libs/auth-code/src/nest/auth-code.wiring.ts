import { Logger, type Provider } from '@nestjs/common';
import { Passport } from 'passport';
import { ProviderRegistry } from '../core/provider-registry';
import { AuthCodeEngine } from '../engine/auth-code.engine';
import { KeyRing } from '../tokens/crypto/key-ring';
import { TokenLock, TokenStore } from '../stores/token-store.interface';
import { StoreNotifier } from '../stores/store-notifier.interface';
import type { TokenLogger } from '../core/token-logger';
import { TokenService } from '../tokens/token.service';
import {
  AUTH_CODE_PASSPORT,
  AUTH_CODE_RESOLVED_OPTIONS,
  AUTH_CODE_STRATEGIES,
} from './options/auth-code.constants';
import { AUTH_CODE_MODULE_OPTIONS } from './auth-code.module-definition';
import {
  resolveOptions,
  type AuthCodeModuleOptions,
  type ResolvedAuthCodeOptions,
} from './options/auth-code.options';
import { AuthSessionService } from './session/auth-session.service';
import { ProviderLogout } from './session/provider-logout';
import { BackchannelLogoutService } from '../tokens/backchannel-logout.service';
import { CookieSigner } from './http/cookie-signer';
import { PROVIDER_DESCRIPTORS } from '../providers/provider-list';
import { AuthCodeStrategy, type AuthCodeStrategyClass } from './strategies/auth-code.strategy';
import type { EngineOAuth2Strategy } from './strategies/engine-oauth2.strategy';
import { createStoreNotifier, createTokenLock, createTokenStore } from './token-store.wiring';
import { GrantUpkeep } from '../tokens/grant-upkeep';
import { createGrantUpkeep } from './upkeep/grant-upkeep.wiring';
import { LoginTransactionService } from './transactions/login-transaction.service';

const logger = new Logger('AuthCode');
const tokenLogger: TokenLogger = { warn: (m) => logger.warn(m), debug: (m) => logger.debug(m) };

/** Every provider of `AuthCodeModule`, built from the module options. */
export const AUTH_CODE_WIRING: Provider[] = [
  {
    provide: AUTH_CODE_RESOLVED_OPTIONS,
    inject: [AUTH_CODE_MODULE_OPTIONS],
    useFactory: (o: AuthCodeModuleOptions) => resolveOptions(o),
  },
  {
    provide: ProviderRegistry,
    inject: [AUTH_CODE_RESOLVED_OPTIONS],
    useFactory: (o: ResolvedAuthCodeOptions) => new ProviderRegistry(o.providers),
  },
  {
    provide: AuthCodeEngine,
    inject: [AUTH_CODE_RESOLVED_OPTIONS],
    useFactory: (o: ResolvedAuthCodeOptions) =>
      new AuthCodeEngine({
        timeoutMs: o.httpTimeoutMs,
        maxResponseBytes: o.maxResponseBytes,
        logger: { debug: (m) => logger.debug(m) },
        telemetry: o.telemetry,
      }),
  },
  {
    provide: KeyRing,
    inject: [AUTH_CODE_RESOLVED_OPTIONS],
    useFactory: (o: ResolvedAuthCodeOptions) =>
      KeyRing.fromEnvironment(o.encryptionKeys, o.environment ?? process.env.NODE_ENV, (m) =>
        logger.warn(m),
      ),
  },
  {
    provide: TokenStore,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, KeyRing],
    useFactory: (o: ResolvedAuthCodeOptions, cipher: KeyRing) =>
      createTokenStore(o, cipher, tokenLogger),
  },
  {
    provide: TokenLock,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, TokenStore],
    useFactory: (o: ResolvedAuthCodeOptions, store: TokenStore) =>
      createTokenLock(o, store, tokenLogger),
  },
  {
    provide: StoreNotifier,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, TokenStore],
    // null, not undefined, for "none": a provider's value
    useFactory: (o: ResolvedAuthCodeOptions, store: TokenStore) =>
      createStoreNotifier(o, store, tokenLogger) ?? null,
  },
  {
    provide: TokenService,
    inject: [
      AUTH_CODE_RESOLVED_OPTIONS,
      TokenStore,
      TokenLock,
      AuthCodeEngine,
      ProviderRegistry,
      StoreNotifier,
    ],
    useFactory: (
      o: ResolvedAuthCodeOptions,
      store: TokenStore,
      lock: TokenLock,
      engine: AuthCodeEngine,
      registry: ProviderRegistry,
      notifier: StoreNotifier | null,
    ) =>
      new TokenService({
        store,
        lock,
        engine,
        registry,
        notifier: notifier ?? undefined,
        logger: tokenLogger,
        options: {
          skewSeconds: o.refreshSkewSeconds,
          sessionTtlMs: o.sessionTtlSeconds * 1000,
          grantScope: o.grantScope,
          resolveUserKey: o.resolveUserKey,
          connectionTtlMs:
            o.connectionTtlSeconds === undefined ? undefined : o.connectionTtlSeconds * 1000,
        },
        onLoginRequired: o.onLoginRequired,
      }),
  },
  {
    provide: GrantUpkeep,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, TokenService, TokenStore],
    useFactory: (o: ResolvedAuthCodeOptions, tokens: TokenService, store: TokenStore) =>
      createGrantUpkeep(o, tokens, store, tokenLogger),
  },
  {
    provide: CookieSigner,
    inject: [AUTH_CODE_RESOLVED_OPTIONS],
    useFactory: (o: ResolvedAuthCodeOptions) => new CookieSigner(o.sessionSecrets),
  },
  {
    provide: LoginTransactionService,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, TokenStore, CookieSigner],
    useFactory: (o: ResolvedAuthCodeOptions, store: TokenStore, signer: CookieSigner) =>
      new LoginTransactionService(store, signer, {
        ttlSeconds: o.transactionTtlSeconds,
        secure: o.secure,
        baseUrl: o.baseUrl,
        maxPerBrowser: o.loginAttempts?.perBrowser,
        attempts: o.loginAttempts,
      }),
  },
  {
    provide: AuthSessionService,
    inject: [AUTH_CODE_RESOLVED_OPTIONS, TokenService, CookieSigner, ProviderRegistry],
    useFactory: (
      o: ResolvedAuthCodeOptions,
      tokens: TokenService,
      signer: CookieSigner,
      registry: ProviderRegistry,
    ) =>
      new AuthSessionService(
        tokens,
        signer,
        { secure: o.secure, ttlSeconds: o.sessionTtlSeconds, baseUrl: o.baseUrl },
        new ProviderLogout(registry, tokens, signer, {
          enabled: o.providerLogout ?? false,
          postLogoutRedirectUri: o.postLogoutRedirectUri ?? `${o.baseUrl}/auth/logout/return`,
          secure: o.secure,
        }),
      ),
  },
  {
    provide: BackchannelLogoutService,
    inject: [TokenStore, ProviderRegistry],
    useFactory: (store: TokenStore, registry: ProviderRegistry) =>
      new BackchannelLogoutService(store, registry),
  },
  { provide: AUTH_CODE_PASSPORT, useFactory: () => new Passport() },
  {
    provide: AUTH_CODE_STRATEGIES,
    inject: [ProviderRegistry, AuthCodeEngine, LoginTransactionService, AUTH_CODE_PASSPORT],
    useFactory: async (
      registry: ProviderRegistry,
      engine: AuthCodeEngine,
      transactions: LoginTransactionService,
      passport: InstanceType<typeof Passport>,
    ) => {
      const strategies = new Map<string, EngineOAuth2Strategy>();
      for (const providerId of registry.ids()) {
        const Strategy = await strategyClassFor(providerId);
        strategies.set(
          providerId,
          new Strategy({ providerId, registry, engine, transactions, passport }),
        );
      }
      return strategies;
    },
  },
];

/** A provider's own strategy class (its descriptor's), else a generic one for its id. */
async function strategyClassFor(providerId: string): Promise<AuthCodeStrategyClass> {
  const own = await PROVIDER_DESCRIPTORS.find((d) => d.id === providerId)?.strategy?.();
  return (own as AuthCodeStrategyClass | undefined) ?? AuthCodeStrategy(providerId);
}
