import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AuthCodeHealthOptions, AuthCodeModuleOptions } from 'nestjs-auth-code';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import { freePort } from 'nestjs-auth-code/testing';
import { createPlatformApp, type Platform } from './platforms';

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
    /** The HTTP platform. @default 'express' */
    platform?: Platform;
    /**
     * Serve the app at its own base URL (`http://127.0.0.1:<free port>`), as a browser that opens
     * the right address sees it; otherwise the base URL is {@link TEST_BASE_URL}. @default false
     */
    sameOrigin?: boolean;
    /** The sample's `GET /health` check options. @default the indicator's */
    health?: AuthCodeHealthOptions;
    /** Seconds between the sample's plant monitor rounds (0: off). @default the sample's (60) */
    plantMonitorSeconds?: number;
  };

/**
 * Boots the sample app's module with explicit library options and listens on port 0.
 * `AUTH_BASE_URL` is {@link TEST_BASE_URL}; tests rebase redirects onto `url`.
 */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const { logger, demo, platform, sameOrigin, health, plantMonitorSeconds, ...auth } = options;
  const port = sameOrigin ? await freePort() : 0;
  const builder = Test.createTestingModule({
    imports: [
      SampleAppModule.register(
        {
          baseUrl: sameOrigin ? `http://127.0.0.1:${port}` : TEST_BASE_URL,
          sessionSecret: 'test-session-secret-0123456789-abcdefghijkl',
          encryptionKeys: Buffer.alloc(32, 7).toString('base64'),
          ...auth,
        },
        { demo, health, plantMonitorSeconds },
      ),
    ],
  });
  if (logger) builder.setLogger(logger);
  const moduleRef = await builder.compile();
  return listenOnLoopback(
    createPlatformApp(moduleRef, platform, { logger: logger ?? false }),
    port,
  );
}

/** Starts `app` on a free 127.0.0.1 port; the {@link TestApp} knows its URL and closes it. */
export async function listenOnLoopback(app: INestApplication, port = 0): Promise<TestApp> {
  await app.listen(port, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}
