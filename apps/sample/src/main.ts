import 'reflect-metadata';
import { type INestApplication, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AUTH_CODE_RESOLVED_OPTIONS, type ResolvedAuthCodeOptions } from 'nestjs-auth-code';
import { startDemoProviders } from './demo/demo-providers';
import { plantMonitorSeconds } from './monitor/plant-monitor.options';
import { samplePlatform, type SamplePlatform } from './sample-platform';

async function bootstrap(): Promise<void> {
  const platform = samplePlatform(process.env.AUTH_PLATFORM);
  const monitorSeconds = plantMonitorSeconds(process.env.SAMPLE_PLANT_MONITOR_SECONDS);
  const demo = await startDemoProviders();
  // Imported after demo mode has pointed the environment at the fakes: config is read at import.
  const { SampleAppModule } = await import('./sample-app.module');
  const root = SampleAppModule.register(undefined, {
    demo: demo !== undefined,
    plantMonitorSeconds: monitorSeconds,
  });
  const logger: LogLevel[] =
    process.env.LOG_LEVEL === 'debug'
      ? ['error', 'warn', 'log', 'debug']
      : ['error', 'warn', 'log'];
  const app = await create(platform, root, logger);
  app.enableShutdownHooks();
  if (demo) app.getHttpServer().on('close', () => void demo.stop());
  const port = Number(process.env.PORT ?? 3000);
  // 'localhost' so the default AUTH_BASE_URL (http://localhost:PORT) and the cookies it sets match.
  await app.listen(port, process.env.HOST ?? 'localhost');
  const { baseUrl } = app.get<ResolvedAuthCodeOptions>(AUTH_CODE_RESOLVED_OPTIONS);
  // The address to open is the base URL: a login started at another one (127.0.0.1 for
  // localhost) cannot find its cookie when the provider sends the browser back to the base URL.
  new Logger('Sample').log(`Open ${baseUrl} (${platform}, listening on ${await app.getUrl()})`);
}

/** The Nest app on the chosen platform; Fastify is loaded only when asked for. */
async function create(
  platform: SamplePlatform,
  root: Parameters<typeof NestFactory.create>[0],
  logger: LogLevel[],
): Promise<INestApplication> {
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    return NestFactory.create(root, new FastifyAdapter(), { logger });
  }
  const app = await NestFactory.create(root, { logger });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  return app;
}

bootstrap().catch((err: Error) => {
  // A configuration error lists every problem by variable name; print it as it is.
  console.error(err.message);
  process.exit(1);
});
