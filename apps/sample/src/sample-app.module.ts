import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthCodeExceptionFilter, AuthCodeModule, type AuthCodeModuleOptions } from '@app/auth-code';
import { TokenApiController } from './api/token-api.controller';
import { AuthController } from './auth/auth.controller';
import { MeController } from './auth/me.controller';

/** The sample app's routes around the library. */
@Module({})
export class SampleAppModule {
  /** Without options the library reads the environment; tests pass options directly. */
  static register(auth?: AuthCodeModuleOptions): DynamicModule {
    return {
      module: SampleAppModule,
      imports: [AuthCodeModule.forRoot(auth)],
      controllers: [AuthController, MeController, TokenApiController],
      providers: [{ provide: APP_FILTER, useClass: AuthCodeExceptionFilter }],
    };
  }
}
