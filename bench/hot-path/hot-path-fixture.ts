import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { type CallHandler, Controller, Get, type INestApplicationContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Test } from '@nestjs/testing';
import {
  AuthCodeModule,
  AuthSessionService,
  CookieSigner,
  oauth2,
  ProviderApi,
  SessionGuard,
  TokenRefreshInterceptor,
  TokenService,
} from 'nestjs-auth-code';
import { of } from 'rxjs';

/** The provider of the fixture's grant: never called (the grant stays fresh). */
const PROVIDER = 'bench';

/** A route handler with metadata, as Nest hands guards and interceptors their context. */
@Controller()
class HotPathController {
  @Get('hello')
  @ProviderApi(PROVIDER)
  hello(): string {
    return 'hello';
  }
}

/** One store's fixture: the module, a logged-in session and a context factory over real requests. */
export interface HotPathFixture {
  /** The guard of the module. */
  guard: SessionGuard;
  /** The interceptor of the module. */
  interceptor: TokenRefreshInterceptor;
  /** A fresh context of one `GET /hello` request carrying the session cookie (a real IncomingMessage). */
  context(): ExecutionContextHost;
  /** A handler that answers at once. */
  next: CallHandler;
  /** Closes the module. */
  close(): Promise<void>;
}

/** Builds the module on `store` and logs a user in, with a grant fresh for an hour. */
export async function hotPathFixture(store: string, keyPrefix: string): Promise<HotPathFixture> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthCodeModule.forRoot({
        baseUrl: 'http://localhost:3000',
        sessionSecret: 'hot-path-session-secret-0123456789-abcdefgh',
        encryptionKeys: Buffer.alloc(32, 5).toString('base64'),
        store,
        storeKeyPrefix: keyPrefix,
        providers: [
          oauth2({
            id: PROVIDER,
            clientId: 'c',
            clientSecret: 's',
            redirectUri: 'http://localhost:3000/auth/bench/callback',
            authorizeUrl: 'http://127.0.0.1:9/authorize',
            tokenUrl: 'http://127.0.0.1:9/token',
          }),
        ],
      }),
    ],
    controllers: [HotPathController],
  })
    .setLogger({ log() {}, error() {}, warn() {}, debug() {}, verbose() {} })
    .compile();
  const app: INestApplicationContext = await moduleRef.init();
  const tokens = app.get(TokenService);
  const session = await tokens.saveLogin(undefined, {
    provider: PROVIDER,
    profile: { provider: PROVIDER, id: 'user-1', displayName: 'Bench User' },
    tokenSet: {
      accessToken: randomBytes(32).toString('base64url'),
      refreshToken: randomBytes(32).toString('base64url'),
      tokenType: 'Bearer',
      expiresAt: Date.now() + 3600_000,
    },
  });
  const cookieName = app.get(AuthSessionService).cookieName;
  const cookie = `${cookieName}=${app.get(CookieSigner).sign(session.id)}; theme=dark; lang=en`;
  const handler = HotPathController.prototype.hello;
  const socket = new Socket();
  return {
    guard: app.get(SessionGuard),
    interceptor: app.get(TokenRefreshInterceptor),
    context() {
      const req = new IncomingMessage(socket);
      req.method = 'GET';
      req.url = '/hello';
      req.headers = { host: 'localhost:3000', accept: 'application/json', cookie };
      const res = new ServerResponse(req);
      return new ExecutionContextHost([req, res], HotPathController, handler);
    },
    next: { handle: () => of('hello') },
    close: () => moduleRef.close(),
  };
}

/** The reflector is Nest's own; kept so the fixture's metadata reads cost what they cost in an app. */
export const REFLECTOR = Reflector;
