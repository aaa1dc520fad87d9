import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  AuthCodeExceptionFilter,
  AuthCodeModule,
  isolarcloud,
  SessionGuard,
} from 'nestjs-auth-code';
import { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { AuthController } from '../../apps/sample/src/auth/auth.controller';
import { MeController } from '../../apps/sample/src/auth/me.controller';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { listenOnLoopback, TEST_BASE_URL, type TestApp } from '../support/test-app';

const REDIRECT = `${TEST_BASE_URL}/auth/isolarcloud/callback`;

describe('AuthCodeModule.forRootAsync with ConfigService', () => {
  let fake: FakeIsolarcloud;
  let app: TestApp;

  beforeAll(async () => {
    fake = new FakeIsolarcloud({ redirectUri: REDIRECT });
    const fakeUrl = await fake.start();
    // The application's own configuration namespace, read through ConfigService.
    const appConfig = () => ({
      auth: {
        baseUrl: TEST_BASE_URL,
        sessionSecret: 'async-config-session-secret-0123456789abc',
        keys: Buffer.alloc(32, 3).toString('base64'),
        isolarcloud: {
          appKey: fake.appKey,
          secretKey: fake.secretKey,
          applicationId: fake.applicationId,
        },
        gateway: fakeUrl,
      },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthCodeModule.forRootAsync({
          imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [appConfig] })],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => {
            const auth = config.getOrThrow('auth');
            return {
              baseUrl: auth.baseUrl,
              sessionSecret: auth.sessionSecret,
              encryptionKeys: auth.keys,
              providers: [
                isolarcloud({
                  ...auth.isolarcloud,
                  redirectUri: REDIRECT,
                  gatewayUrl: auth.gateway,
                  loginUrl: auth.gateway,
                }),
              ],
            };
          },
        }),
      ],
      controllers: [AuthController, MeController],
      providers: [
        { provide: APP_FILTER, useClass: AuthCodeExceptionFilter },
        { provide: APP_GUARD, useExisting: SessionGuard },
      ],
    }).compile();
    app = await listenOnLoopback(moduleRef.createNestApplication({ logger: false }));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('takes its options from the factory and logs in end to end', async () => {
    const browser = new Browser(app.url);
    const steps = await login(browser, 'isolarcloud', fake);
    expect(steps.callback.status).toBe(302);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({
      provider: 'isolarcloud',
      id: String(fake.userId),
    });
  });

  it('enables only the providers the factory returned', async () => {
    const res = await new Browser(app.url).get('/auth/xt/login');
    expect(res.status).toBe(404);
  });
});
