import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthCodeModuleOptions } from './options/auth-code.options';

/** The generated dynamic-module base, options token and option types of `AuthCodeModule`. */
export const {
  ConfigurableModuleClass: AuthCodeConfigurableModule,
  MODULE_OPTIONS_TOKEN: AUTH_CODE_MODULE_OPTIONS,
  OPTIONS_TYPE: AUTH_CODE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_CODE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthCodeModuleOptions>({ moduleName: 'AuthCode' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (def, extras) => ({ ...def, global: extras.isGlobal }))
  .build();
