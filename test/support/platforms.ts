import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';

/** The HTTP platforms the library supports; e2e flows run on each (`describe.each(PLATFORMS)`). */
export const PLATFORMS = ['express', 'fastify'] as const;

/** One of {@link PLATFORMS}. */
export type Platform = (typeof PLATFORMS)[number];

/** Creates the Nest app of a compiled module on `platform` (Express is Nest's default). */
export function createPlatformApp(
  moduleRef: TestingModule,
  platform: Platform = 'express',
  options: NestApplicationOptions = {},
): INestApplication {
  const app =
    platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), options)
      : moduleRef.createNestApplication(options);
  const actual = app.getHttpAdapter().getType();
  if (actual !== platform) throw new Error(`asked for a ${platform} app, got ${actual}`);
  return app;
}
