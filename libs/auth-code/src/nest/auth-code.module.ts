import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ProviderRegistry } from '../core/provider-registry';
import { AuthCodeEngine } from '../engine/auth-code.engine';
import { TokenLock, TokenStore } from '../stores/token-store.interface';
import { StoreNotifier } from '../stores/store-notifier.interface';
import { TokenService } from '../tokens/token.service';
import {
  AUTH_CODE_RESOLVED_OPTIONS,
  AUTH_CODE_STRATEGIES,
  AUTH_CODE_THROTTLER_STORAGE,
} from './options/auth-code.constants';
import {
  AUTH_CODE_ASYNC_OPTIONS_TYPE,
  AUTH_CODE_OPTIONS_TYPE,
  AuthCodeConfigurableModule,
} from './auth-code.module-definition';
import { AUTH_CODE_WIRING } from './auth-code.wiring';
import { authCodeConfig } from './config/auth-code.config';
import type { AuthCodeEnvironment } from './config/auth-code.environment';
import { optionsFromEnvironment } from './config/options-from-environment';
import { ProviderApiClient } from './api/provider-api.client';
import { ProviderTokenPipe } from './decorators/provider-token.pipe';
import { AuthCodeLoginGuard } from './guards/auth-code-login.guard';
import { AuthRateLimitGuard } from './guards/auth-rate-limit.guard';
import { AuthCodeHealthIndicator } from './health/auth-code.health-indicator';
import { SessionGuard } from './guards/session.guard';
import { TokenRefreshInterceptor } from './interceptors/token-refresh.interceptor';
import { AuthSessionService } from './session/auth-session.service';
import { BackchannelLogoutHandler } from './session/backchannel-logout.handler';
import { BackchannelLogoutService } from '../tokens/backchannel-logout.service';
import { LoginTransactionService } from './transactions/login-transaction.service';
import { GrantUpkeep } from '../tokens/grant-upkeep';
import { upkeepEnabled } from './upkeep/grant-upkeep.wiring';
import type { ResolvedAuthCodeOptions } from './options/auth-code.options';

const logger = new Logger('AuthCode');

/** The Nest face's injectables: guards, interceptor, pipe, API client, health indicator. */
const FACE = [
  AuthCodeLoginGuard,
  SessionGuard,
  AuthRateLimitGuard,
  TokenRefreshInterceptor,
  ProviderTokenPipe,
  ProviderApiClient,
  AuthCodeHealthIndicator,
  BackchannelLogoutHandler,
];

/**
 * OAuth 2.0 authorization-code login for NestJS.
 *
 * - `AuthCodeModule.forRoot()` reads and validates the environment (see the README's table).
 * - `AuthCodeModule.forRoot(options)` / `forRootAsync({ imports, inject, useFactory })` take typed options.
 *
 * Exports the {@link TokenService}, the session service, the back-channel logout handler, the
 * guards (login, session, rate limit), the token refresh interceptor, the provider API client, the
 * health indicator, the registry and the store.
 */
@Module({
  providers: [
    ...AUTH_CODE_WIRING,
    ...FACE,
    { provide: AUTH_CODE_THROTTLER_STORAGE, useClass: ThrottlerStorageService },
  ],
  exports: [
    ...FACE,
    AUTH_CODE_THROTTLER_STORAGE,
    TokenService,
    GrantUpkeep,
    AuthSessionService,
    BackchannelLogoutService,
    ProviderRegistry,
    AuthCodeEngine,
    TokenStore,
    TokenLock,
    LoginTransactionService,
    AUTH_CODE_RESOLVED_OPTIONS,
    AUTH_CODE_STRATEGIES,
  ],
})
export class AuthCodeModule
  extends AuthCodeConfigurableModule
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(TokenLock) private readonly lock: TokenLock,
    @Inject(GrantUpkeep) private readonly upkeep: GrantUpkeep,
    @Inject(AUTH_CODE_RESOLVED_OPTIONS) private readonly options: ResolvedAuthCodeOptions,
    @Inject(StoreNotifier) private readonly notifier: StoreNotifier | null,
  ) {
    super();
  }

  /** Starts background upkeep when the `upkeep` option is on. */
  onApplicationBootstrap(): void {
    if (upkeepEnabled(this.options)) this.upkeep.start();
  }

  /**
   * Without options: the environment, through `@nestjs/config` (`registerAs('authCode')`), validated
   * with class-validator; a bad value stops start-up with one message listing every problem.
   */
  static override forRoot(options?: typeof AUTH_CODE_OPTIONS_TYPE): DynamicModule {
    if (options) return super.forRoot(options);
    return this.forRootAsync({
      isGlobal: true,
      imports: [ConfigModule.forFeature(authCodeConfig)],
      inject: [authCodeConfig.KEY],
      useFactory: (env: AuthCodeEnvironment) => optionsFromEnvironment(env, (m) => logger.warn(m)),
    });
  }

  /** Options from your own factory (e.g. `ConfigService`). */
  static override forRootAsync(options: typeof AUTH_CODE_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  /**
   * Stops upkeep and closes store connections (Redis, PostgreSQL; the notifier's first) when the
   * app closes.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.upkeep.stop();
    const parts = [this.notifier, this.store, this.lock] as Array<{ close?: () => unknown } | null>;
    for (const part of parts) {
      await part?.close?.();
    }
  }
}
