import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  freePort,
  type FakeIsolarcloud,
  type FakeTencentCiam,
  type FakeXt,
} from 'nestjs-auth-code/testing';
import { startDemoProviders } from '../../../apps/sample/src/demo/demo-providers';
import { SampleAppModule } from '../../../apps/sample/src/sample-app.module';
import { withEnv } from '../../support/env-app';
import { createPlatformApp, type Platform } from '../../support/platforms';

/** The demo fakes by provider id. */
export interface DemoFakes {
  isolarcloud: FakeIsolarcloud;
  'tencent-ciam': FakeTencentCiam;
  xt: FakeXt;
}

/** The sample app in demo mode on a real loopback port, as `main.ts` runs it. */
export interface DemoApp {
  /** The Nest app. */
  app: INestApplication;
  /** `http://127.0.0.1:<port>`: the app's `AUTH_BASE_URL` and the URL the browser opens. */
  url: string;
  /** The running fakes the app logs in with. */
  fakes: DemoFakes;
  /** Stops the app, its port and the fakes. */
  close(): Promise<void>;
}

/**
 * Starts the sample app the way `main.ts` does in demo mode — the bundled fakes with redirect URIs
 * under `AUTH_BASE_URL`, `AuthCodeModule.forRoot()` reading that environment, the demo flag on —
 * with `AUTH_BASE_URL` equal to the address it listens on, so a browser's cookies and redirects
 * match, on the HTTP platform asked for. Logs only errors.
 */
export async function startDemoApp(platform: Platform = 'express'): Promise<DemoApp> {
  Logger.overrideLogger(['error']);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = { AUTH_BASE_URL: url, AUTH_DEMO: 'auto' };
  const demo = await startDemoProviders(env);
  if (!demo) throw new Error('demo mode did not start its fakes');
  try {
    const app = await withEnv(env, async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [SampleAppModule.register(undefined, { demo: true })],
      }).compile();
      const nest = createPlatformApp(moduleRef, platform, { logger: ['error'] });
      await nest.listen(port, '127.0.0.1');
      return nest;
    });
    const fake = (id: string): unknown => demo.fakes.get(id);
    return {
      app,
      url,
      fakes: {
        isolarcloud: fake('isolarcloud') as FakeIsolarcloud,
        'tencent-ciam': fake('tencent-ciam') as FakeTencentCiam,
        xt: fake('xt') as FakeXt,
      },
      close: async () => {
        await app.close();
        await demo.stop();
      },
    };
  } catch (err) {
    await demo.stop();
    throw err;
  }
}
