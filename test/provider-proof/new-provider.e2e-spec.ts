import {
  Controller,
  Get,
  Post,
  Redirect,
  Req,
  Res,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from '../support/browser';
import { withEnv } from '../support/env-app';
import { listenOnLoopback, type TestApp } from '../support/test-app';
import { changesOf, copyWithProvider, removeCopies, type FileChange } from './library-copy';

/* eslint-disable @typescript-eslint/no-require-imports -- the copy is loaded at run time */

const ACME_FOLDER = join(__dirname, 'acme');
const DIFFSTAT = join(__dirname, '../../test-artifacts/provider-proof-diffstat.txt');

/**
 * Adding a provider is one folder and one entry in the list: a copy of the library gains
 * `providers/acme/` (a fictional provider with a JSON token call, a `{ code, msg, data }` envelope
 * and its own fake) and two lines in `providers/provider-list.ts`, and nothing else — then an app
 * configured only by the environment logs in with it, its variables are validated, and the
 * testing entry starts its fake.
 */
describe('a new provider added as one folder and one list entry', () => {
  let src: string;
  let changes: FileChange[];
  let lib: any;
  let testing: any;
  let FakeAcme: any;

  beforeAll(() => {
    src = copyWithProvider(ACME_FOLDER, 'acme', 'ACME');
    changes = changesOf(src);
    mkdirSync(join(DIFFSTAT, '..'), { recursive: true });
    writeFileSync(
      DIFFSTAT,
      changes.map((c) => `${c.file} | +${c.added.length} -${c.removed.length}`).join('\n') + '\n',
    );
    lib = require(join(src, 'index.ts'));
    testing = require(join(src, 'testing', 'index.ts'));
    FakeAcme = require(join(src, 'providers', 'acme', 'acme.fake.ts')).FakeAcme;
  }, 60_000);
  afterAll(() => removeCopies());

  it('changes nothing outside its folder but the two lines of the list', () => {
    const outside = changes.filter((c) => !c.file.startsWith('providers/acme/'));
    expect(outside).toEqual([
      {
        file: 'providers/provider-list.ts',
        added: ["import { ACME } from './acme/acme.descriptor';", '  ACME, // acme'],
        removed: [],
      },
    ]);
    expect(changes.map((c) => c.file)).toEqual([
      'providers/acme/acme.descriptor.ts',
      'providers/acme/acme.environment.ts',
      'providers/acme/acme.fake.ts',
      'providers/acme/acme.provider.ts',
      'providers/provider-list.ts',
    ]);
  });

  it("validates its variables with the library's own", () => {
    expect(() =>
      lib.validateAuthCodeEnvironment({ ACME_CLIENT_ID: 'x', AUTH_RATE_LIMIT: 'many' }),
    ).toThrow(
      [
        'Invalid configuration:',
        '  - AUTH_RATE_LIMIT must be an integer number',
        '  - ACME_CLIENT_SECRET is required when ACME_CLIENT_ID is set (acme)',
        '  - ACME_URL is required when ACME_CLIENT_ID is set (acme)',
      ].join('\n'),
    );
  });

  it('has its fake started by the testing entry, as demo mode does', async () => {
    const fakes = await testing.startProviderFakes('http://127.0.0.1:9', ['acme']);
    try {
      expect([...fakes.fakes.keys()]).toEqual(['acme']);
      expect(fakes.environment.ACME_CLIENT_ID).toBe('acme-client');
    } finally {
      await fakes.stop();
    }
  });

  describe('logging in through forRoot() from the environment', () => {
    let fake: any;
    let app: TestApp;

    beforeAll(async () => {
      const port = await testing.freePort();
      const base = `http://127.0.0.1:${port}`;
      fake = new FakeAcme(`${base}/auth/acme/callback`);
      await fake.start();
      const env = {
        AUTH_BASE_URL: base,
        AUTH_SESSION_SECRET: 'provider-proof-secret-0123456789-abcdefghij',
        AUTH_ENCRYPTION_KEYS: Buffer.alloc(32, 3).toString('base64'),
        ...fake.environment(),
      };
      app = await withEnv(env, async () => {
        const moduleRef = await Test.createTestingModule({
          imports: [lib.AuthCodeModule.forRoot()],
          controllers: routesOf(lib),
          providers: [
            { provide: APP_FILTER, useClass: lib.AuthCodeExceptionFilter },
            { provide: APP_GUARD, useExisting: lib.SessionGuard },
          ],
        }).compile();
        return listenOnLoopback(
          moduleRef.createNestApplication({ logger: false }) as INestApplication,
          port,
        );
      });
    });
    afterAll(async () => {
      await app?.close();
      await fake?.stop();
    });

    it('logs in end to end: JSON token call, envelope read, profile from it, /me, logout', async () => {
      const browser = new Browser(app.url);
      const start = await browser.get('/auth/acme/login');
      expect(start.status).toBe(302);
      const callback = await browser.get(await fake.consent(start.headers.get('location')));
      expect(callback.status).toBe(302);
      const [token] = fake.requestsTo('token');
      expect(token.headers['content-type']).toContain('application/json');
      expect(token.body).toMatchObject({
        grant_type: 'authorization_code',
        client_id: 'acme-client',
      });
      const me = await browser.get('/me');
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ provider: 'acme', id: 'grid-42', displayName: 'Ada Grid' });
      expect((await browser.post('/auth/logout')).status).toBe(204);
      expect((await browser.get('/me')).status).toBe(401);
    });

    it("turns the provider's envelope error into its mapped code", async () => {
      const browser = new Browser(app.url);
      const start = await browser.get('/auth/acme/login');
      const back = new URL(await fake.consent(start.headers.get('location')));
      back.searchParams.set('code', 'not-a-code');
      const res = await browser.get(`${app.url}${back.pathname}${back.search}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant', providerCode: '40001' });
    });
  });
});

/** The quick start's routes, on the copy's guards and services. */
function routesOf(lib: any) {
  @lib.Public()
  @Controller('auth')
  class AuthRoutes {
    constructor(private readonly sessions: any) {}

    @Get(':provider/login')
    @UseGuards(lib.AuthCodeLoginGuard)
    @Redirect()
    login(@Req() req: any) {
      return { url: req.authCodeRedirect, statusCode: 302 };
    }

    @Get(':provider/callback')
    @UseGuards(lib.AuthCodeLoginGuard)
    @Redirect()
    async callback(@Req() req: any, @Res({ passthrough: true }) res: any) {
      await this.sessions.establish(req, res, req.user);
      return { url: req.user.returnTo, statusCode: 302 };
    }

    @Post('logout')
    async logout(@Req() req: any, @Res() res: any) {
      await this.sessions.logout(req, res, '/');
    }
  }
  Reflect.defineMetadata('design:paramtypes', [lib.AuthSessionService], AuthRoutes);

  @Controller()
  class MeRoute {
    @Get('me')
    me(@Req() req: any) {
      return req.user;
    }
  }
  return [AuthRoutes, MeRoute];
}
