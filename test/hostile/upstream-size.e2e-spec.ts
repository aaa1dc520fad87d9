import { Browser } from '../support/browser';
import { answers, HostileProvider, hostileLogin } from '../support/hostile-provider';
import { startTestApp, type TestApp } from '../support/test-app';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** No session after a refused login: no live session cookie, and `/me` is 401. */
async function expectNothingStored(browser: Browser, callback: Response): Promise<void> {
  const live = callback.headers
    .getSetCookie()
    .some((c) => c.startsWith('auth_session=') && !c.includes('Max-Age=0'));
  expect(live).toBe(false);
  expect((await browser.get('/me', { accept: 'application/json' })).status).toBe(401);
}

/**
 * Issue 9, hole 2: upstream bodies are read with a maximum size while they stream in
 * (decompression counted) and token fields have maximum lengths; both are a typed
 * `invalid_response` 502 with nothing stored. Before, a 1 MB gzip bomb took the app to 2.2 GB and
 * a 50 MB access token was stored. Every upstream here is a real hostile server on loopback.
 */
describe('oversized upstream answers are cut off and refused', () => {
  const hostile = new HostileProvider();
  let app: TestApp;

  beforeAll(async () => {
    await hostile.start();
    app = await startTestApp({ providers: [hostile.definition()], httpTimeoutMs: 20_000 });
  });
  afterAll(async () => {
    await app?.close();
    await hostile.stop();
  });
  beforeEach(() => hostile.reset());

  async function refused(): Promise<Record<string, string>> {
    const browser = new Browser(app.url);
    const callback = await hostileLogin(browser);
    const body = (await callback.json()) as Record<string, string>;
    expect({ status: callback.status, error: body.error }).toEqual({
      status: 502,
      error: 'invalid_response',
    });
    await expectNothingStored(browser, callback);
    return body;
  }

  it('cuts a gzip bomb (1 GiB inflated) at 1 MiB of inflated bytes and aborts it', async () => {
    hostile.answer = answers.gzipBomb(GiB);
    const before = process.memoryUsage().rss;
    const body = await refused();
    expect(body.message).toMatch(/larger than 1048576 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * MiB);
    expect(hostile.abortedAnswers).toBe(1);
  });

  it('refuses a 50 MB access token without reading it all', async () => {
    hostile.answer = answers.hugeToken(50 * MiB);
    expect((await refused()).message).toMatch(/larger than 1048576 bytes/);
    expect(hostile.abortedAnswers).toBe(1);
  });

  it('refuses an endless body with invalid_response, not by waiting for the timeout', async () => {
    hostile.answer = answers.endless();
    expect((await refused()).message).toMatch(/larger than 1048576 bytes/);
    expect(hostile.abortedAnswers).toBe(1);
  });

  it('refuses a declared content-length over the limit before reading the body', async () => {
    hostile.answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 * MiB });
      res.write('{"access_token":"');
    };
    expect((await refused()).message).toMatch(/larger than 1048576 bytes/);
  });

  it.each([
    ['access_token', 16 * 1024],
    ['refresh_token', 16 * 1024],
    ['id_token', 16 * 1024],
    ['scope', 4 * 1024],
    ['token_type', 64],
  ])('refuses %s longer than %i characters (body under the size limit)', async (field, max) => {
    const answer: Record<string, string> = { access_token: 'at', token_type: 'Bearer' };
    answer[field] = 'a'.repeat(max + 1);
    hostile.answer = answers.json(200, answer);
    expect((await refused()).message).toBe(
      `hostile answered the exchange request with a token field "${field}" longer than ${max} characters`,
    );
  });

  it('accepts token fields at their limits', async () => {
    hostile.answer = answers.json(200, {
      access_token: 'a'.repeat(16 * 1024),
      refresh_token: 'r'.repeat(16 * 1024),
      scope: 's'.repeat(4 * 1024),
      token_type: 'Bearer',
    });
    expect((await hostileLogin(new Browser(app.url))).status).toBe(302);
  });
});

describe('the response size limit is an option', () => {
  const hostile = new HostileProvider();
  let small: TestApp;

  beforeAll(async () => {
    await hostile.start();
    small = await startTestApp({ providers: [hostile.definition()], maxResponseBytes: 2048 });
  });
  afterAll(async () => {
    await small?.close();
    await hostile.stop();
  });

  it('refuses a 3 KB token answer with maxResponseBytes: 2048, accepts a 1 KB one', async () => {
    hostile.answer = answers.json(200, { access_token: 'a'.repeat(3000) });
    const browser = new Browser(small.url);
    const callback = await hostileLogin(browser);
    expect(callback.status).toBe(502);
    expect(await callback.json()).toMatchObject({
      error: 'invalid_response',
      message:
        'hostile answered the exchange request with a body larger than 2048 bytes; it was not read further',
    });
    await expectNothingStored(browser, callback);
    hostile.answer = answers.json(200, { access_token: 'a'.repeat(1000) });
    expect((await hostileLogin(new Browser(small.url))).status).toBe(302);
  });
});
