import { type DynamicModule, Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import {
  authCodeConfig,
  AuthCodeModule,
  optionsFromEnvironment,
  type AuthCodeEnvironment,
  type AuthCodeModuleOptions,
  type GrantScope,
} from 'nestjs-auth-code';

/**
 * Whose grants the sample keeps, unless `AUTH_GRANT_SCOPE` says (it then holds for every
 * provider): iSolarCloud and XT.COM are connected accounts (`user`: kept at logout, found again
 * at the next login, refreshed in the background with `AUTH_UPKEEP=on`; the plant monitor reads
 * iSolarCloud with them); the others end with the browser session (revoked at logout).
 */
export const SAMPLE_GRANT_SCOPE: Partial<Record<string, GrantScope>> = {
  isolarcloud: 'user',
  xt: 'user',
};

const logger = new Logger('AuthCode');

/**
 * The library's module: with `auth` (tests), exactly those options; without, what
 * `AuthCodeModule.forRoot()` reads from the environment (validated the same way), plus the
 * sample's {@link SAMPLE_GRANT_SCOPE} when `AUTH_GRANT_SCOPE` is not set.
 */
export function sampleAuthModule(auth?: AuthCodeModuleOptions): DynamicModule {
  if (auth) return AuthCodeModule.forRoot(auth);
  return AuthCodeModule.forRootAsync({
    isGlobal: true,
    imports: [ConfigModule.forFeature(authCodeConfig)],
    inject: [authCodeConfig.KEY],
    useFactory: (env: AuthCodeEnvironment): AuthCodeModuleOptions => ({
      ...optionsFromEnvironment(env, (m) => logger.warn(m)),
      grantScope: env.AUTH_GRANT_SCOPE ?? SAMPLE_GRANT_SCOPE,
    }),
  });
}
