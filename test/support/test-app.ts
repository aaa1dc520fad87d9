import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AuthCodeModuleOptions } from 'nestjs-auth-code';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';

/** The public base URL every test app claims; redirect URIs are built from it. */
export const TEST_BASE_URL = 'http://localhost:3000';

/** A running sample app on a free loopback port. */
export interface TestApp {
  /** The Nest app. */
  app: INestApplication;
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Closes the app (and its store connections). */
  close(): Promise<void>;
}

/** Options of {@link startTestApp}: the library's options, plus test-only knobs. */
export type TestAppOptions = Partial<AuthCodeModuleOptions> &
  Pick<AuthCodeModuleOptions, 'providers'> & {
    /** Receives every log line of the app, from module compilation on. @default none (silent) */
    logger?: LoggerService;
    /** The sample's demo mode flag (what `main.ts` sets when it runs the fakes). @default false */
    demo?: boolean;
  };

/**
 * Boots the sample app's module with explicit library options and listens on port 0.
 * `AUTH_BASE_URL` is {@link TEST_BASE_URL}; tests rebase redirects onto `url`.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const { logger, demo, ...auth } = options;
  const builder = Test.createTestingModule({
    imports: [
      SampleAppModule.register(
        {
          baseUrl: TEST_BASE_URL,
          sessionSecret: 'test-session-secret-0123456789-abcdefghijkl',
          encryptionKeys: Buffer.alloc(32, 7).toString('base64'),
          ...auth,
        },
        { demo },
      ),
    ],
  });
  if (logger) builder.setLogger(logger);
  const moduleRef = await builder.compile();
  return listenOnLoopback(moduleRef.createNestApplication({ logger: logger ?? false }));
}

/** Starts `app` on a free 127.0.0.1 port; the {@link TestApp} knows its URL and closes it. */
export async function listenOnLoopback(app: INestApplication): Promise<TestApp> {
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}
