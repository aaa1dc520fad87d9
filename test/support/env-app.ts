import { Test } from '@nestjs/testing';
import type { FakeXt } from 'nestjs-auth-code/testing';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import { createPlatformApp, type Platform } from './platforms';
import { listenOnLoopback, TEST_BASE_URL, type TestApp } from './test-app';

/** Environment variables the library (and demo mode) read. */
const LIBRARY_VARIABLE = /^(AUTH_|ISOLARCLOUD_|TENCENT_CIAM_|XT_|OIDC_)/;

/**
 * A complete environment besides the providers' variables, for {@link startEnvApp}: demo mode off,
 * {@link TEST_BASE_URL}, fixed secrets, memory store.
 */
export const BASE_ENVIRONMENT = {
  AUTH_DEMO: 'off',
  AUTH_BASE_URL: TEST_BASE_URL,
  AUTH_SESSION_SECRET: 'env-test-session-secret-0123456789-abcdefgh',
  AUTH_ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString('base64'),
  AUTH_STORE: 'memory',
} as const;

/**
 * The variables that configure XT.COM against a running `fake`, plus `AUTH_BASE_URL` (the
 * {@link TEST_BASE_URL} its redirect URI is under); nothing else.
 */
export function xtEnvironment(fake: FakeXt): Record<string, string | undefined> {
  const xt = fake.providerOptions(`${TEST_BASE_URL}/auth/xt/callback`);
  return {
    AUTH_BASE_URL: TEST_BASE_URL,
    XT_CLIENT_ID: xt.clientId,
    XT_CLIENT_SECRET: xt.clientSecret,
    XT_AUTHORIZE_URL: xt.authorizeUrl,
    XT_API_URL: xt.apiUrl,
  };
}

/**
 * Runs `fn` with `process.env` holding none of the library's variables except `vars`, and restores
 * the environment afterwards, whatever happens.
 */
export function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  // One at a time: two apps booted together (Promise.all) would otherwise save each other's
  // variables and restore them in the wrong order, so the second read a half-restored environment.
  const run = envQueue.then(() => withEnvNow(vars, fn));
  envQueue = run.catch(() => undefined);
  return run;
}

/** The tail of the {@link withEnv} calls waiting for their turn. */
let envQueue: Promise<unknown> = Promise.resolve();

async function withEnvNow<T>(
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
 * with exactly `vars` as the library's environment (spread {@link BASE_ENVIRONMENT} into them for
 * everything but the providers), on a free loopback port. The environment is restored once the app
 * listens: whatever the app uses later must have been read at boot.
 */
export function startEnvApp(
  vars: Record<string, string | undefined>,
  platform: Platform = 'express',
): Promise<TestApp> {
  return withEnv(vars, async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SampleAppModule.register()],
    }).compile();
    return listenOnLoopback(createPlatformApp(moduleRef, platform, { logger: false }));
  });
}
