import { oidc } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { CapturingLogger } from '../support/capturing-logger';
import { OidcOpProcess } from '../support/oidc-op/oidc-op.process';
import { startTestApp, TEST_BASE_URL, type TestApp } from '../support/test-app';
import { loginThroughOp, storedTokens } from './op-login';

const REDIRECT_URI = `${TEST_BASE_URL}/auth/oidc/callback`;

describe('logout when the OpenID Provider refuses to revoke a public client’s grant', () => {
  let op: OidcOpProcess;
  let app: TestApp;
  let logger: CapturingLogger;

  beforeAll(async () => {
    op = await OidcOpProcess.start({
      redirectUris: [REDIRECT_URI],
      revocation: 'confidential-only',
    });
    logger = new CapturingLogger();
    app = await startTestApp({
      logger,
      providers: [
        oidc({
          issuer: op.issuer,
          clientId: op.info.clients.public.clientId,
          redirectUri: REDIRECT_URI,
        }),
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await op?.stop();
  });

  it('still logs out, and warns with the provider’s code and message (never at debug only)', async () => {
    const browser = new Browser(app.url);
    expect((await loginThroughOp(browser, 'oidc', REDIRECT_URI)).callback.status).toBe(302);
    const { refreshToken, accessToken } = await storedTokens(app, browser, 'oidc');
    const before = logger.lines.length;

    const out = await browser.post('/auth/logout');
    expect(out.status).toBe(204);
    expect((await browser.get('/me')).status).toBe(401);

    const lines = logger.lines.slice(before).filter((l) => l.includes('Revoking the oidc grant'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn /);
    expect(lines[0]).toContain('unauthorized_client');
    expect(lines[0]).toContain('public clients may not revoke tokens here');
    for (const secret of [refreshToken!, accessToken]) expect(lines[0]).not.toContain(secret);
  });
});
