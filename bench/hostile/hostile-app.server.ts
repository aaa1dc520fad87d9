import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { oauth2 } from 'nestjs-auth-code';
import { SampleAppModule } from '../../apps/sample/src/sample-app.module';
import { BENCH_BASE_URL, type HostileAppCpu, type HostileAppReady } from './hostile-app.messages';

/**
 * Child process entry of the hostile-input bench: `hostile-app.server.ts <upstream url>`. Boots
 * the sample app with one plain OAuth 2.0 provider, `hostile`, whose authorize and token endpoints
 * are the parent's hostile upstream; answers `cpu` with its CPU time and exits on `stop`. It uses
 * only what the library had before issue 9, so the same file runs in a checkout of older code
 * (the bench's "before" column).
 */
async function main(): Promise<void> {
  const upstream = process.argv[2];
  const app = await NestFactory.create(
    SampleAppModule.register({
      baseUrl: BENCH_BASE_URL,
      sessionSecret: 'bench-hostile-session-secret-0123456789-abcdef',
      encryptionKeys: Buffer.alloc(32, 5).toString('base64'),
      rateLimit: 1_000_000_000,
      httpTimeoutMs: 60_000,
      providers: [
        oauth2({
          id: 'hostile',
          clientId: 'bench-client',
          clientSecret: 'bench-client-secret',
          redirectUri: `${BENCH_BASE_URL}/auth/hostile/callback`,
          authorizeUrl: `${upstream}/authorize`,
          tokenUrl: `${upstream}/token`,
          token: { clientAuth: 'client_secret_post' },
          profile: () => ({ id: 'bench-user' }),
        }),
      ],
    }),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  process.on('message', (msg) => {
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      const rss = process.memoryUsage.rss();
      process.send!({ type: 'cpu', micros: user + system, rss } satisfies HostileAppCpu);
    }
    if (msg === 'stop') app.close().finally(() => process.exit(0));
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  process.send!({ type: 'ready', url } satisfies HostileAppReady);
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: String((err as Error)?.stack ?? err) });
  process.exit(1);
});
