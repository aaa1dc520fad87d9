import { Browser } from '../support/browser';
import { answers, HostileProvider, hostileLogin } from '../support/hostile-provider';
import { startTestApp, type TestApp } from '../support/test-app';

const MiB = 1024 * 1024;

/**
 * Issue 9, hole 1: text that a browser or an upstream controls is cut to a sane length before any
 * pattern runs, and every pattern is linear. Before, a 12,000-letter provider id cost ~1 s of CPU
 * (the 404 quoted it, the filter scrubbed it quadratically) and 16 MB of letters from a token
 * endpoint overflowed the regexp stack: 500. These tests assert outcomes, not timings; the cost per
 * request is in `npm run bench -- hostile-input`.
 */
describe('hostile text costs linear time and gives bounded, typed answers', () => {
  const hostile = new HostileProvider();
  let app: TestApp;
  let roomy: TestApp;

  beforeAll(async () => {
    await hostile.start();
    app = await startTestApp({ providers: [hostile.definition()] });
    // A size limit above the body, so the text path itself is what runs over 16 MB.
    roomy = await startTestApp({ providers: [hostile.definition()], maxResponseBytes: 32 * MiB });
  });
  afterAll(async () => {
    await app?.close();
    await roomy?.close();
    await hostile.stop();
  });
  beforeEach(() => hostile.reset());

  it('answers a 12,000-letter provider id with a 404 that quotes 64 characters of it', async () => {
    const id = 'a'.repeat(12_000);
    const res = await fetch(`${app.url}/auth/${id}/login`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      statusCode: 404,
      error: 'provider_disabled',
      message: `The provider "${'a'.repeat(64)}…" is not enabled`,
      provider: `${'a'.repeat(64)}…`,
    });
    const page = await fetch(`${app.url}/auth/${id}/login`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain(`${'a'.repeat(64)}…`);
    expect(html).not.toContain('a'.repeat(65));
  });

  it('turns 16 MB of letters from the token endpoint into a typed 502, not a 500', async () => {
    hostile.answer = answers.letters(16 * MiB);
    for (const target of [app, roomy]) {
      const callback = await hostileLogin(new Browser(target.url));
      expect(callback.status).toBe(502);
      const body = (await callback.json()) as Record<string, string>;
      expect(body).toMatchObject({
        statusCode: 502,
        error: 'invalid_response',
        provider: 'hostile',
      });
      expect(body.message.length).toBeLessThan(300);
    }
  });

  it('quotes at most 600 characters of a 40 KB error_description, in JSON and HTML', async () => {
    const description = 'x'.repeat(40_000);
    hostile.answer = answers.json(400, { error: 'invalid_grant', error_description: description });
    const json = await hostileLogin(new Browser(app.url));
    expect(json.status).toBe(400);
    const body = (await json.json()) as Record<string, string>;
    expect(body.error).toBe('invalid_grant');
    expect(body.message).toContain('x'.repeat(500));
    expect(body.message.length).toBeLessThan(700);
    const page = await hostileLogin(new Browser(app.url), 'hostile', { accept: 'text/html' });
    expect(page.status).toBe(400);
    expect((await page.text()).length).toBeLessThan(3000);
  });

  it('quotes at most 128 characters of an 8 KB content type', async () => {
    hostile.answer = (res) =>
      void res.writeHead(200, { 'content-type': `text/${'p'.repeat(8000)}` }).end('<html>');
    const callback = await hostileLogin(new Browser(app.url));
    expect(callback.status).toBe(502);
    const body = (await callback.json()) as Record<string, string>;
    expect(body.error).toBe('invalid_response');
    expect(body.message).not.toContain('p'.repeat(129));
  });
});
