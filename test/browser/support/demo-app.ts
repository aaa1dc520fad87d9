import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type {
  FakeIsolarcloud,
  FakeServer,
  FakeTencentCiam,
  FakeXt,
} from 'nestjs-auth-code/testing';
import { startDemoProviders } from '../../../apps/sample/src/demo/demo-providers';
import { SampleAppModule } from '../../../apps/sample/src/sample-app.module';
import { withEnv } from '../../support/env-app';

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
 * match. The port is bound before the app is built (no free-port race): the bound server hands its
 * requests to the app's Express instance. Logs only errors.
 */
export async function startDemoApp(): Promise<DemoApp> {
  Logger.overrideLogger(['error']);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: Record<string, string | undefined> = { AUTH_BASE_URL: url, AUTH_DEMO: 'auto' };
  const demo = await startDemoProviders(env);
  if (!demo) throw new Error('demo mode did not start its fakes');
  try {
    const app = await withEnv(env, async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [SampleAppModule.register(undefined, { demo: true })],
      }).compile();
      const nest = moduleRef.createNestApplication({ logger: ['error'] });
      nest.getHttpAdapter().getInstance().disable('x-powered-by');
      await nest.init();
      return nest;
    });
    server.on('request', app.getHttpAdapter().getInstance());
    const [isolarcloud, tencent, xt] = demo.fakes;
    return {
      app,
      url,
      fakes: {
        isolarcloud: isolarcloud as FakeIsolarcloud,
        'tencent-ciam': tencent as FakeTencentCiam,
        xt: xt as FakeXt,
      },
      close: async () => {
        await closeServer(server);
        await app.close();
        await stopAll(demo.fakes);
      },
    };
  } catch (err) {
    await closeServer(server);
    await stopAll(demo.fakes);
    throw err;
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function stopAll(fakes: FakeServer[]): Promise<void> {
  await Promise.all(fakes.map((f) => f.stop()));
}
