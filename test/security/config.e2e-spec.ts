import { Test } from '@nestjs/testing';
import { AuthCodeModule, ConfigurationError, validateAuthCodeEnvironment } from 'nestjs-auth-code';
import { withEnv } from '../support/env-app';

/** Several bad values at once; each must be named in the one error. */
const BAD_ENV = {
  AUTH_BASE_URL: 'not a url',
  AUTH_HTTP_TIMEOUT_MS: 'five seconds',
  ISOLARCLOUD_APP_KEY: 'B968E49385CBD8C74587A374E7B1D21A',
  AUTH_STORE: 'mongodb://127.0.0.1',
};
const NAMED = [
  'AUTH_BASE_URL',
  'AUTH_HTTP_TIMEOUT_MS',
  'ISOLARCLOUD_SECRET_KEY',
  'ISOLARCLOUD_APP_KEY',
  'AUTH_STORE',
];

/** The error `validateAuthCodeEnvironment` throws for an environment. */
function validationError(env: Record<string, string>): unknown {
  try {
    validateAuthCodeEnvironment(env);
  } catch (err) {
    return err;
  }
  return undefined;
}

function expectEveryProblemNamed(err: unknown): void {
  expect(err).toBeInstanceOf(ConfigurationError);
  const message = (err as Error).message;
  for (const name of NAMED) expect(message).toContain(name);
  // the reason is the real one: a non-number is not "greater than 120000"
  expect(message).toContain('AUTH_HTTP_TIMEOUT_MS must be an integer number');
  expect(message.split('\n').filter((l) => l.startsWith('  - ')).length).toBeGreaterThanOrEqual(4);
}

describe('configuration from the environment', () => {
  it('reports every bad variable in one ConfigurationError', () => {
    expectEveryProblemNamed(validationError(BAD_ENV));
  });

  it('accepts a good environment (the check can pass)', () => {
    expect(() =>
      validateAuthCodeEnvironment({
        AUTH_BASE_URL: 'http://localhost:3000',
        AUTH_HTTP_TIMEOUT_MS: '5000',
        ISOLARCLOUD_APP_KEY: 'k',
        ISOLARCLOUD_SECRET_KEY: 's',
        ISOLARCLOUD_APPLICATION_ID: '1234',
        AUTH_STORE: 'redis://127.0.0.1:6379',
      }),
    ).not.toThrow();
  });

  it('stops AuthCodeModule.forRoot() from starting, with the same message', async () => {
    const started = withEnv(BAD_ENV, async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [AuthCodeModule.forRoot()],
      }).compile();
      await moduleRef.close();
    });
    const err = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expectEveryProblemNamed(err);
    expect((err as Error).message).toBe((validationError(BAD_ENV) as Error).message);
    expect(process.env.AUTH_STORE).not.toBe(BAD_ENV.AUTH_STORE); // the environment is restored
  });
});
