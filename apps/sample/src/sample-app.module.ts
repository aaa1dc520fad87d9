import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import {
  AuthCodeExceptionFilter,
  AuthCodeModule,
  SessionGuard,
  type AuthCodeModuleOptions,
} from 'nestjs-auth-code';
import { ProviderApiController } from './api/provider-api.controller';
import { TokenApiController } from './api/token-api.controller';
import { AuthController } from './auth/auth.controller';
import { MeController } from './auth/me.controller';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { HomeViewService } from './home/home.view';
import { SAMPLE_OPTIONS, type SampleOptions } from './sample.options';

/**
 * The sample app's routes around the library. `SessionGuard` protects every route (`/me`,
 * `/api/*`); `/`, `/auth/*` and `/health` are `@Public()`.
 */
@Module({})
export class SampleAppModule {
  /**
   * Without `auth` the library reads the environment; tests pass options directly.
   * @param sample the sample's own options (demo mode, set by `main.ts`)
   */
  static register(auth?: AuthCodeModuleOptions, sample: SampleOptions = {}): DynamicModule {
    return {
      module: SampleAppModule,
      imports: [AuthCodeModule.forRoot(auth), TerminusModule],
      controllers: [
        HomeController,
        AuthController,
        MeController,
        TokenApiController,
        ProviderApiController,
        HealthController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AuthCodeExceptionFilter },
        { provide: APP_GUARD, useExisting: SessionGuard },
        { provide: SAMPLE_OPTIONS, useValue: sample },
        HomeViewService,
      ],
    };
  }
}
