import { Test } from '@nestjs/testing';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import type { TestApp } from './test-app';

/** Environment variables the library (and demo mode) read. */
const LIBRARY_VARIABLE = /^(AUTH_|ISOLARCLOUD_|TENCENT_CIAM_|XT_|OIDC_)/;

/**
 * Runs `fn` with `process.env` holding none of the library's variables except `vars`, and restores
 * the environment afterwards, whatever happens.
 */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (LIBRARY_VARIABLE.test(k)) delete process.env[k];
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/**
 * Boots the sample app the way `main.ts` does — `AuthCodeModule.forRoot()` reading the environment —
 * with exactly `vars` as the library's environment, on a free loopback port.
 */
export function startEnvApp(vars: Record<string, string | undefined>): Promise<TestApp> {
  return withEnv(vars, async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SampleAppModule.register()],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return { app, url, close: () => app.close() };
  });
}
