import { randomBytes } from 'node:crypto';
import { type INestApplication, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import {
  AuthCodeExceptionFilter,
  AuthCodeModule,
  AuthSessionService,
  CookieSigner,
  oauth2,
  SessionGuard,
  TokenRefreshInterceptor,
  TokenService,
} from 'nestjs-auth-code';
import {
  AllowAllGuard,
  BENCH_PROVIDER,
  HelloController,
  NoopInterceptor,
} from './hello.controller';
import { PassportBaselineModule, usePassportSessions } from './passport-baseline.module';

/** Where the Redis variants keep their records. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** What a variant's server process needs from the parent. */
export interface VariantContext {
  /** Key prefix of the Redis store, unique per run (the parent deletes its keys afterwards). */
  redisKeyPrefix: string;
}

/** A running variant: the app and the headers of a logged-in request. */
export interface RunningVariant {
  app: INestApplication;
  url: string;
  /** Sent with every measured request (the session cookie). */
  headers: Record<string, string>;
}

/** One server under test. */
export interface Variant {
  /** Id, passed to the server process. */
  name: string;
  /** Row label. */
  label: string;
  /** What the variant does per request, for the table. */
  work: string;
  /** Status of the route without a session cookie: proves the guard is in the request path. */
  statusWithoutSession: number;
  /** Boots the app on a loopback port and logs a user in. */
  start(ctx: VariantContext): Promise<RunningVariant>;
}

const KEYS = Buffer.alloc(32, 7).toString('base64');

/** A provider that is never called: the session's grant is fresh for the whole run. */
const benchProvider = oauth2({
  id: BENCH_PROVIDER,
  clientId: 'bench-client',
  clientSecret: 'bench-secret',
  redirectUri: 'http://localhost:3000/auth/bench/callback',
  authorizeUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
});

async function listen(module: Type, setup?: (app: INestApplication) => void) {
  const app = await NestFactory.create(module, { logger: false });
  setup?.(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** A variant without sessions: its requests carry a cookie of the same size anyway. */
function plain(name: string, label: string, work: string, providers: Provider[]): Variant {
  @Module({ controllers: [HelloController], providers })
  class PlainModule {}
  return {
    name,
    label,
    work,
    statusWithoutSession: 200,
    async start() {
      const { app, url } = await listen(PlainModule);
      const fake = `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      return { app, url, headers: { cookie: `auth_session=${fake}` } };
    },
  };
}

/** `SessionGuard` globally (as in the sample app) over `store`, plus `providers`. */
function guarded(
  name: string,
  label: string,
  work: string,
  store: 'memory' | 'redis',
  providers: Provider[] = [],
): Variant {
  return {
    name,
    label,
    work,
    statusWithoutSession: 401,
    async start(ctx) {
      @Module({
        imports: [
          AuthCodeModule.forRoot({
            baseUrl: 'http://localhost:3000',
            sessionSecret: 'bench-session-secret-0123456789-abcdefghijkl',
            encryptionKeys: KEYS,
            providers: [benchProvider],
            store: store === 'redis' ? REDIS_URL : 'memory',
            storeKeyPrefix: ctx.redisKeyPrefix,
          }),
        ],
        controllers: [HelloController],
        providers: [
          { provide: APP_FILTER, useClass: AuthCodeExceptionFilter },
          { provide: APP_GUARD, useExisting: SessionGuard },
          ...providers,
        ],
      })
      class GuardedModule {}
      const { app, url } = await listen(GuardedModule);
      const session = await app.get(TokenService, { strict: false }).saveLogin(undefined, {
        provider: BENCH_PROVIDER,
        profile: {
          provider: BENCH_PROVIDER,
          id: 'user-1',
          displayName: 'Bench User',
          email: 'bench@example.com',
        },
        tokenSet: {
          accessToken: randomBytes(32).toString('base64url'),
          refreshToken: randomBytes(32).toString('base64url'),
          tokenType: 'Bearer',
          expiresAt: Date.now() + 6 * 3600_000,
        },
      });
      const signed = app.get(CookieSigner, { strict: false }).sign(session.id);
      const cookieName = app.get(AuthSessionService, { strict: false }).cookieName;
      return { app, url, headers: { cookie: `${cookieName}=${signed}` } };
    },
  };
}

/** express-session (MemoryStore) + passport.session() + `req.isAuthenticated()`; logs in over HTTP. */
const passportSession: Variant = {
  name: 'passport-session',
  label: 'express-session + passport.session()',
  work: 'express-session (cookie parse, HMAC unsign, MemoryStore get = JSON.parse, change check, touch) + passport deserializeUser + isAuthenticated guard',
  statusWithoutSession: 403,
  async start() {
    const { app, url } = await listen(PassportBaselineModule, usePassportSessions);
    const res = await fetch(`${url}/login`, { method: 'POST' });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (res.status !== 204 || !cookie) throw new Error(`baseline login failed (${res.status})`);
    return { app, url, headers: { cookie } };
  },
};

/** Every variant, by name. */
export const VARIANTS: Record<string, Variant> = Object.fromEntries(
  [
    plain('bare', 'bare route', 'the route alone', []),
    plain('allow-guard', 'trivial guard', 'a global guard that returns true', [
      { provide: APP_GUARD, useClass: AllowAllGuard },
    ]),
    plain('noop-interceptor', 'no-op interceptor', 'a global interceptor returning next.handle()', [
      { provide: APP_INTERCEPTOR, useClass: NoopInterceptor },
    ]),
    guarded(
      'session-memory',
      'SessionGuard, memory store',
      'read 1 cookie, memoized HMAC check, 1 store read (a frozen session record: no secret in it)',
      'memory',
    ),
    guarded(
      'session-redis',
      'SessionGuard, Redis store',
      'read 1 cookie, memoized HMAC check, 1 Redis GET (auto-pipelined) + decrypt',
      'redis',
    ),
    guarded(
      'session-memory-noop',
      'SessionGuard + no-op interceptor (memory)',
      'the guard, then a no-op interceptor',
      'memory',
      [{ provide: APP_INTERCEPTOR, useClass: NoopInterceptor }],
    ),
    guarded(
      'session-memory-refresh',
      'SessionGuard + TokenRefreshInterceptor (memory)',
      "the guard, then getValidToken with the guard's session: 1 grant read, token fresh, no refresh",
      'memory',
      [{ provide: APP_INTERCEPTOR, useExisting: TokenRefreshInterceptor }],
    ),
    guarded(
      'session-redis-refresh',
      'SessionGuard + TokenRefreshInterceptor (Redis)',
      "the guard, then getValidToken with the guard's session: 1 Redis HGET, token fresh, no refresh",
      'redis',
      [{ provide: APP_INTERCEPTOR, useExisting: TokenRefreshInterceptor }],
    ),
    passportSession,
  ].map((v) => [v.name, v]),
);
