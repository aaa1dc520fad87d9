import { xt } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { CapturingLogger } from '../support/capturing-logger';
import {
  answers,
  HostileProvider,
  hostileLogin,
  type HostileAnswer,
} from '../support/hostile-provider';
import { startTestApp, TEST_BASE_URL, type TestApp } from '../support/test-app';

/** The demo XT client secret: short, no digit, so no token-run scrubber can recognise it. */
const SECRET = 'demo-xt-secret';

/** Echoes every value of the token request (XT sends them all in the query). */
const values = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

/** Ways a provider can echo what it was sent. */
const ECHOES: Array<[string, HostileAnswer]> = [
  [
    'as the XT code and arguments (HTTP 200 envelope)',
    (res, req) =>
      answers.json(200, { rc: 1, mc: values(req.url).client_secret, ma: [values(req.url).code] })(
        res,
        req,
      ),
  ],
  [
    'in an RFC error_description (HTTP 400)',
    (res, req) => {
      const v = values(req.url);
      answers.json(400, {
        error: 'invalid_client',
        error_description: `client_secret ${v.client_secret} does not match code ${v.code}`,
      })(res, req);
    },
  ],
  ['as a plain-text 502 body', (res, req) => answers.text(502, `echo: ${req.url}`)(res, req)],
  [
    'in the content type of an HTML 200',
    (res, req) =>
      void res
        .writeHead(200, { 'content-type': `text/html; x=${values(req.url).client_secret}` })
        .end('<p>'),
  ],
  [
    'percent-encoded, in an error_description',
    (res, req) =>
      answers.json(400, { error: 'invalid_grant', error_description: req.url })(res, req),
  ],
];

/**
 * Issue 9, hole 7: the secret values of the request at hand (client secret, code, refresh token)
 * are removed by value, whatever their length, from error messages, pages and logs. Before, a
 * provider echoing the short `demo-xt-secret` leaked it to the browser and the log: the scrubber
 * only catches long runs with a digit.
 */
describe('a provider echoing the request never leaks its secrets', () => {
  const hostile = new HostileProvider();
  const logger = new CapturingLogger();
  let app: TestApp;

  beforeAll(async () => {
    await hostile.start();
    const definition = xt({
      clientId: 'demo-xt-client',
      clientSecret: SECRET,
      authorizeUrl: `${hostile.url}/authorize`,
      apiUrl: hostile.url,
      redirectUri: `${TEST_BASE_URL}/auth/xt/callback`,
    });
    app = await startTestApp({ providers: [definition], logger });
  });
  afterAll(async () => {
    await app?.close();
    await hostile.stop();
  });
  beforeEach(() => {
    hostile.reset();
    logger.lines.length = 0;
  });

  /** The answer (JSON and HTML) and every log line contain none of `secrets`. */
  async function expectNoLeak(secrets: string[]): Promise<void> {
    for (const accept of ['application/json', 'text/html']) {
      const callback = await hostileLogin(new Browser(app.url), 'xt', { accept });
      expect(callback.status).toBeGreaterThanOrEqual(400);
      const text = await callback.text();
      for (const s of [...secrets, SECRET, ...hostile.codes]) expect(text).not.toContain(s);
    }
    const log = logger.lines.join('\n');
    expect(log).toContain('xt');
    for (const s of [SECRET, encodeURIComponent(SECRET), ...hostile.codes])
      expect(log).not.toContain(s);
  }

  it.each(ECHOES)('removes the client secret and the code echoed %s', async (_how, echo) => {
    hostile.answer = echo;
    await expectNoLeak([]);
    expect(hostile.requests.length).toBe(2);
  });

  it('removes the refresh token echoed in a refused refresh', async () => {
    const refreshToken = 'rt-short';
    hostile.answer = answers.json(200, {
      rc: 0,
      result: { access_token: 'at', refresh_token: refreshToken, expires_in: 1, user_id: 'u1' },
    });
    const browser = new Browser(app.url);
    expect((await hostileLogin(browser, 'xt')).status).toBe(302);
    hostile.answer = (res, req) =>
      answers.json(200, { rc: 1, mc: values(req.url).refresh_token, ma: [SECRET] })(res, req);
    const refresh = await browser.get('/api/xt/token', { accept: 'application/json' });
    expect(refresh.status).toBeGreaterThanOrEqual(400);
    const text = await refresh.text();
    expect(text).not.toContain(refreshToken);
    expect(text).not.toContain(SECRET);
    expect(logger.lines.join('\n')).not.toContain(refreshToken);
  });
});
