/** One generated consumer app. */
export interface ConsumerVariant {
  /** Folder name and test title. */
  name: string;
  /** NestJS major version. */
  nest: 11 | 12;
  /** HTTP platform (picks the README's `main.ts`). */
  platform: 'express' | 'fastify';
  /** Module format of the app: CommonJS (Nest 11's default) or ESM (`"type": "module"`, Nest 12's). */
  format: 'commonjs' | 'esm';
  /** The token store the app runs on; `redis` installs ioredis, `memory` leaves it out. */
  store: 'memory' | 'redis';
  /** Also prove that a Redis URL without ioredis stops start-up with the install message. */
  checksMissingIoredis?: boolean;
  /**
   * Also install `@nestjs/terminus` of the app's Nest major, add the README's health module and
   * check that `GET /health` answers `up` (terminus 11's API on Nest 11, 12's on Nest 12).
   */
  health?: boolean;
}

/** The five consumers of issue 8: Nest 11 and 12, Express and Fastify, CommonJS and ESM. */
export const VARIANTS: ConsumerVariant[] = [
  {
    name: 'a-nest11-express-cjs-redis',
    nest: 11,
    platform: 'express',
    format: 'commonjs',
    store: 'redis',
    health: true,
  },
  {
    name: 'b-nest11-fastify-cjs',
    nest: 11,
    platform: 'fastify',
    format: 'commonjs',
    store: 'memory',
  },
  {
    name: 'c-nest12-express-esm-redis',
    nest: 12,
    platform: 'express',
    format: 'esm',
    store: 'redis',
    health: true,
  },
  {
    name: 'd-nest12-fastify-cjs',
    nest: 12,
    platform: 'fastify',
    format: 'commonjs',
    store: 'memory',
  },
  {
    name: 'e-nest12-express-esm-no-ioredis',
    nest: 12,
    platform: 'express',
    format: 'esm',
    store: 'memory',
    checksMissingIoredis: true,
  },
];

/** The framework a variant's app has before it installs this library. */
export function frameworkPackages(v: ConsumerVariant): string[] {
  return [
    `@nestjs/common@^${v.nest}`,
    `@nestjs/core@^${v.nest}`,
    `@nestjs/platform-${v.platform}@^${v.nest}`,
    'reflect-metadata@^0.2',
    'rxjs@^7.8',
    'typescript@~5.9',
    '@types/node@^20',
    ...(v.store === 'redis' ? ['ioredis@^5'] : []),
    ...(v.health ? [`@nestjs/terminus@^${v.nest}`] : []),
  ];
}
