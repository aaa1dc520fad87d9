import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  AuthCodeExceptionFilter,
  SessionGuard,
  providersFromEnvironment,
  validateAuthCodeEnvironment,
} from 'nestjs-auth-code';
import { TokenApiController } from '../../apps/sample/src/api/token-api.controller';
import { AuthController } from '../../apps/sample/src/auth/auth.controller';
import { MeController } from '../../apps/sample/src/auth/me.controller';
import { Browser } from '../support/browser';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { listenOnLoopback, TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, refreshAtOp, storedTokens } from './op-login';
import { authCodeModule } from './readme-example.module';

const ROOT = join(__dirname, '..', '..');
const OIDC_CALLBACK = `${TEST_BASE_URL}/auth/oidc/callback`;
const ACME_CALLBACK = `${TEST_BASE_URL}/auth/acme/callback`;

/** The documentation that quotes the example. */
function documentation(): string {
  return readFileSync(join(ROOT, 'README.md'), 'utf8');
}

describe('the README example for any OIDC / OAuth2 provider', () => {
  let op: OidcOpProcess;
  let app: TestApp;

  beforeAll(async () => {
    op = await OidcOpProcess.start({ redirectUris: [OIDC_CALLBACK, ACME_CALLBACK] });
    const { clientId, clientSecret } = op.info.clients.confidential;
    const moduleRef = await Test.createTestingModule({
      imports: [
        authCodeModule({
          baseUrl: TEST_BASE_URL,
          sessionSecret: 'readme-example-session-secret-0123456789',
          encryptionKeys: Buffer.alloc(32, 5).toString('base64'),
          oidc: { issuer: op.issuer, clientId, clientSecret },
          // The same real OP plays Acme, reached through its endpoints instead of discovery.
          acme: { url: op.issuer, clientId, clientSecret },
        }),
      ],
      controllers: [AuthController, MeController, TokenApiController],
      // MeController and TokenApiController read the session the global SessionGuard attaches.
      providers: [
        { provide: APP_FILTER, useClass: AuthCodeExceptionFilter },
        { provide: APP_GUARD, useExisting: SessionGuard },
      ],
    }).compile();
    app = await listenOnLoopback(moduleRef.createNestApplication({ logger: false }));
  });
  afterAll(async () => {
    await app?.close();
    await op?.stop();
  });

  it('is quoted verbatim in the documentation', () => {
    const source = readFileSync(join(__dirname, 'readme-example.module.ts'), 'utf8');
    expect(documentation()).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  it('documents an environment that enables the oidc provider', () => {
    const block = /<!-- oidc env example -->\s*```bash\n([\s\S]*?)```/.exec(documentation());
    expect(block).not.toBeNull();
    const variables = Object.fromEntries(
      block![1]
        .split('\n')
        .map((line) => /^([A-Z_]+)=("[^"]*"|\S*)/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map(([, name, value]) => [name, value.replace(/^"|"$/g, '')]),
    );
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'AUTH_BASE_URL']),
    );
    const providers = providersFromEnvironment(validateAuthCodeEnvironment(variables));
    expect(providers.map((p) => p.id)).toEqual(['oidc']);
  });

  it('logs in with the oauth2() provider and maps its userinfo to the profile', async () => {
    const browser = new Browser(app.url);
    const steps = await loginThroughOp(browser, 'acme', ACME_CALLBACK);
    expect(steps.authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(steps.callback.status).toBe(302);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toEqual({
      provider: 'acme',
      id: op.info.account,
      displayName: 'OP Test User',
      email: `${op.info.account}@op.example.test`,
    });
  });

  it('links both providers in one session, serves their tokens and revokes both at logout', async () => {
    const browser = new Browser(app.url);
    await loginThroughOp(browser, 'oidc', OIDC_CALLBACK);
    await loginThroughOp(browser, 'acme', ACME_CALLBACK);
    const me = await (await browser.get('/me')).json();
    expect(me.user).toMatchObject({ provider: 'oidc', id: op.info.account });
    expect(Object.keys(me.providers).sort()).toEqual(['acme', 'oidc']);
    for (const provider of ['oidc', 'acme']) {
      expect((await browser.get(`/api/${provider}/token`)).status).toBe(200);
    }
    const grants = [
      await storedTokens(app, browser, 'oidc'),
      await storedTokens(app, browser, 'acme'),
    ];

    expect((await browser.post('/auth/logout')).status).toBe(204);
    for (const { refreshToken } of grants) {
      await expect(
        refreshAtOp(op, op.info.clients.confidential, refreshToken!),
      ).resolves.toMatchObject({
        status: 400,
        body: { error: 'invalid_grant' },
      });
    }
  });
});
