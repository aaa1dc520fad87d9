import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startDemoProviders } from './demo/demo-providers';

async function bootstrap(): Promise<void> {
  const demo = await startDemoProviders();
  // Imported after demo mode has pointed the environment at the fakes: config is read at import.
  const { SampleAppModule } = await import('./sample-app.module');
  const root = SampleAppModule.register(undefined, { demo: demo !== undefined });
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger:
      process.env.LOG_LEVEL === 'debug'
        ? ['error', 'warn', 'log', 'debug']
        : ['error', 'warn', 'log'],
  });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  if (demo)
    app.getHttpServer().on('close', () => void Promise.all(demo.fakes.map((f) => f.stop())));
  const port = Number(process.env.PORT ?? 3000);
  // 'localhost' so the default AUTH_BASE_URL (http://localhost:PORT) and the cookies it sets match.
  await app.listen(port, process.env.HOST ?? 'localhost');
  new Logger('Sample').log(`Listening on ${await app.getUrl()}`);
}

bootstrap().catch((err: Error) => {
  // A configuration error lists every problem by variable name; print it as it is.
  console.error(err.message);
  process.exit(1);
});
