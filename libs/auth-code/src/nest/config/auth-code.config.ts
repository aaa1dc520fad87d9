import { registerAs } from '@nestjs/config';
import type { AuthCodeEnvironment } from './auth-code.environment';
import { validateAuthCodeEnvironment } from './validate-environment';

/** `@nestjs/config` namespace `authCode`: the validated environment. */
export const authCodeConfig = registerAs('authCode', (): AuthCodeEnvironment =>
  validateAuthCodeEnvironment(process.env),
);
