import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import {
  AuthCodeExceptionFilter,
  SessionGuard,
  type AuthCodeModuleOptions,
} from 'nestjs-auth-code';
import { ProviderApiController } from './api/provider-api.controller';
import { TokenApiController } from './api/token-api.controller';
import { AuthController } from './auth/auth.controller';
import { MeController } from './auth/me.controller';
import { ConnectionFormsController } from './connections/connection-forms.controller';
import { ConnectionListService } from './connections/connection-list.service';
import { ConnectionsController } from './connections/connections.controller';
import { SameOriginGuard } from './connections/same-origin.guard';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { HomeViewService } from './home/home.view';
import { PlantMonitorService } from './monitor/plant-monitor.service';
import { sampleAuthModule } from './sample-auth';
import { SAMPLE_OPTIONS, type SampleOptions } from './sample.options';

/**
 * The sample app's routes around the library. `SessionGuard` protects every route (`/me`,
 * `/api/*`, `/connections/*`); `/`, `/auth/*` and `/health` are `@Public()`. The plant monitor
 * runs in the background.
 */
@Module({})
export class SampleAppModule {
  /**
   * Without `auth` the library reads the environment (with the sample's grant scopes, see
   * `sampleAuthModule`); tests pass options directly.
   * @param sample the sample's own options (demo mode and the plant monitor, set by `main.ts`)
   */
  static register(auth?: AuthCodeModuleOptions, sample: SampleOptions = {}): DynamicModule {
    return {
      module: SampleAppModule,
      imports: [sampleAuthModule(auth), TerminusModule],
      controllers: [
        HomeController,
        AuthController,
        MeController,
        TokenApiController,
        ProviderApiController,
        ConnectionsController,
        ConnectionFormsController,
        HealthController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AuthCodeExceptionFilter },
        { provide: APP_GUARD, useExisting: SessionGuard },
        { provide: SAMPLE_OPTIONS, useValue: sample },
        HomeViewService,
        ConnectionListService,
        PlantMonitorService,
        SameOriginGuard,
      ],
    };
  }
}
