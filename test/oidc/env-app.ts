import { Test } from '@nestjs/testing';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import { TEST_BASE_URL, type TestApp } from '../support/test-app';

/** Prefixes of every variable the library (or the sample's demo mode) reads. */
const LIBRARY_VARIABLES = /^(AUTH_|OIDC_|ISOLARCLOUD_|TENCENT_CIAM_|XT_)/;

/** The variables every env-configured test app shares; the OIDC_* ones come from the test. */
export const BASE_ENVIRONMENT = {
  AUTH_DEMO: 'off',
  AUTH_BASE_URL: TEST_BASE_URL,
  AUTH_SESSION_SECRET: 'env-test-session-secret-0123456789-abcdefgh',
  AUTH_ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString('base64'),
  AUTH_STORE: 'memory',
} as const;

/**
 * Boots the sample app exactly as `main.ts` configures it — `SampleAppModule.register()` with no
 * options, so `AuthCodeModule.forRoot()` reads and validates `process.env` — with `process.env`
 * holding only {@link BASE_ENVIRONMENT} plus `variables` among the library's variables.
 * `process.env` is restored as soon as the app listens: whatever the app uses later must have been
 * read at boot.
 */
export async function startEnvApp(variables: Record<string, string | undefined>): Promise<TestApp> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (LIBRARY_VARIABLES.test(name)) delete process.env[name];
  }
  for (const [name, value] of Object.entries({ ...BASE_ENVIRONMENT, ...variables })) {
    if (value !== undefined) process.env[name] = value;
  }
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [SampleAppModule.register()],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return { app, url, close: () => app.close() };
  } finally {
    restoreEnvironment(saved);
  }
}

/** Puts `process.env` back as it was, in place (it is a special object: never reassign it). */
function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) {
    if (!(name in saved)) delete process.env[name];
  }
  Object.assign(process.env, saved);
}
