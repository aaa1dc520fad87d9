import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { issuedTokens } from '../support/answer-log';
import { Browser } from '../support/browser';
import { CapturingLogger } from '../support/capturing-logger';
import { pendingLogin, withQuery } from '../support/http-steps';
import {
  clientSecretsOf,
  startLoggedProviders,
  type LoggedProvider,
} from '../support/logged-providers';
import { startTestApp, type TestApp } from '../support/test-app';

const SESSION_SECRET = 'secrets-test-session-secret-0123456789-abcdef';
const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');

/** Every secret value seen during the run, by kind. */
const secrets = new Map<string, string>();
function keep(kind: string, value: string | undefined | null): void {
  if (!value || value.length < 6) return;
  secrets.set(value, kind);
  // a JWT may leak by its parts: keep payload and signature (headers are shared, not secret)
  const parts = value.split('.');
  if (parts.length === 3)
    parts.slice(1).forEach((p) => p.length >= 16 && secrets.set(p, `${kind} (part)`));
}

/** SECURITY.md row 11: codes, verifiers, tokens, client secrets and cookie values never reach a log. */
describe('no secret in any log line, at debug level', () => {
  const logger = new CapturingLogger();
  let restoreOutput: () => void;
  let providers: LoggedProvider[];
  let app: TestApp;

  beforeAll(async () => {
    restoreOutput = logger.captureProcessOutput();
    providers = await startLoggedProviders();
    for (const secret of clientSecretsOf(providers)) keep('client secret', secret);
    keep('session secret', SESSION_SECRET);
    keep('encryption key', ENCRYPTION_KEY);
    app = await startTestApp({
      providers: providers.map((p) => p.definition),
      logger,
      sessionSecret: SESSION_SECRET,
      encryptionKeys: ENCRYPTION_KEY,
      httpTimeoutMs: 1000,
    });
  });
  afterAll(async () => {
    restoreOutput?.();
    await app?.close();
    await Promise.all(providers?.map((p) => p.fake.stop()) ?? []);
  });

  /** Keeps every cookie value the browser holds, and the session id inside the signed value. */
  function keepCookies(browser: Browser): void {
    for (const [name, value] of browser.cookies) {
      keep(`cookie ${name}`, value);
      keep(`cookie ${name} (unsigned part)`, value.slice(0, value.lastIndexOf('.')));
    }
  }

  /** A login that keeps every secret it passes: cookies, nonce, code, verifier. */
  async function loginKeeping(
    browser: Browser,
    p: LoggedProvider,
    tamperCode = false,
  ): Promise<Response> {
    const pending = await pendingLogin(browser, p.id, p.fake);
    keepCookies(browser);
    keep('nonce', pending.authorizeUrl.searchParams.get('nonce'));
    keep('code', new URL(pending.callbackUrl).searchParams.get('code'));
    const url = tamperCode
      ? withQuery(pending.callbackUrl, { code: 'Wr0ngC0de' + Date.now() })
      : pending.callbackUrl;
    if (tamperCode) keep('code', new URL(url).searchParams.get('code'));
    const res = await browser.get(url);
    keepCookies(browser);
    return res;
  }

  it('runs logins, refreshes, logouts and error paths for every provider, and logs none of their secrets', async () => {
    for (const p of providers) {
      const browser = new Browser(app.url);
      expect((await loginKeeping(browser, p)).status).toBe(302);
      expect((await browser.get('/me')).status).toBe(200);
      const token = await browser.get(`/api/${p.id}/token`);
      expect(await token.json()).toMatchObject({ provider: p.id, refreshed: true });
      expect(p.fake.count(p.refreshRoute)).toBeGreaterThanOrEqual(1);
      expect((await browser.post('/auth/logout')).status).toBe(204);

      // error paths: a code the provider refuses (iSolarCloud echoes it), a hanging token call
      const refused = await loginKeeping(new Browser(app.url), p, true);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      p.fake.injectFault('token', 'hang');
      expect((await loginKeeping(new Browser(app.url), p)).status).toBe(504);
    }
    // a refresh the provider refuses: the grant is dropped, the user must log in again
    const iso = providers[0];
    const browser = new Browser(app.url);
    await loginKeeping(browser, iso);
    (iso.fake as unknown as FakeIsolarcloud).forceError('refresh', '2');
    expect((await browser.get('/api/isolarcloud/token')).status).toBe(401);

    for (const p of providers) {
      for (const t of issuedTokens(p.fake.answers)) keep('issued token', t);
      for (const r of p.fake.requests) {
        keep('code verifier', r.body?.code_verifier as string | undefined);
        keep('code', (r.body?.code ?? r.query.code) as string | undefined);
      }
    }
    expect([...secrets.values()].filter((k) => k === 'issued token').length).toBeGreaterThanOrEqual(
      16,
    );
    expect([...secrets.values()]).toEqual(
      expect.arrayContaining(['code verifier', 'code', 'nonce', 'client secret']),
    );

    // the capture really holds the library's debug output
    const lines = logger.lines;
    expect(lines.some((l) => /^debug .*isolarcloud exchange: POST .* -> 200/.test(l))).toBe(true);
    expect(lines.some((l) => /^debug .*xt refresh: GET .* -> 200/.test(l))).toBe(true);
    expect(lines.some((l) => /^warn .*-> 504 timeout/.test(l))).toBe(true);

    const leaks: string[] = [];
    for (const [secret, kind] of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        const line = lines.find((l) => l.includes(form));
        if (line) leaks.push(`${kind} in: ${line.slice(0, 300)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
