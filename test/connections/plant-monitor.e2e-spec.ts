import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const HTML = { accept: 'text/html' };
const JSON_ = { accept: 'application/json' };
const FORM = { ...HTML, 'content-type': 'application/x-www-form-urlencoded' };

/** Resolves once `check()` is true, polling every 50 ms; fails with `what` after `ms`. */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The text of the element carrying `data-testid`, tags stripped. */
function byTestId(html: string, testId: string): string | undefined {
  const m = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m?.[2].replace(/<[^>]+>/g, '').trim();
}

describe.each(PLATFORMS)('the sample plant monitor on %s', (platform) => {
  let iso: ProviderFixture<FakeIsolarcloud>;
  let app: TestApp;

  beforeAll(async () => {
    iso = await isolarcloudFixture();
    iso.fake.plants = [
      { id: '700667048', name: 'Rooftop <West>' },
      { id: '342472479', name: 'Barn array' },
    ];
    app = await startTestApp({
      platform,
      providers: [iso.definition],
      grantScope: { isolarcloud: 'user' },
      plantMonitorSeconds: 1,
    });
  });
  afterAll(async () => {
    await app?.close();
    await iso?.fake.stop();
  });
  beforeEach(() => iso.fake.reset());

  it('reads each connected user’s plant list on its schedule with the browser gone, and the page shows the result', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', iso.fake);
    const out = await browser.post('/auth/logout', FORM, '');
    expect(out.status).toBe(303);
    expect(browser.cookies.size).toBe(0); // the browser holds nothing from here on
    const loggedOutAt = Date.now();
    const calls = iso.fake.count('plants');

    // nobody's browser asks: the monitor does, with the user's connection
    await until(() => iso.fake.count('plants') >= calls + 2, 'two plant monitor rounds');
    const monitorCalls = iso.fake.requestsTo('plants').slice(calls);
    for (const req of monitorCalls) {
      expect(req.headers.authorization).toMatch(/^Bearer \S+$/);
      expect(req.headers.cookie).toBeUndefined();
    }

    // the user comes back: the page shows what the monitor last fetched
    const again = new Browser(app.url);
    await login(again, 'isolarcloud', iso.fake);
    const html = await (await again.get('/', HTML)).text();
    expect(byTestId(html, 'plant-monitor')).toMatch(
      /^Plant monitor: 2 plants \(Rooftop &#60;West&#62;, Barn array\), fetched \d\d:\d\d:\d\d UTC/,
    );
    expect(html).not.toContain('Rooftop <West>');
    const [entry] = (await (await again.get('/api/connections', JSON_)).json()) as Array<
      Record<string, any>
    >;
    expect(entry).toMatchObject({
      provider: 'isolarcloud',
      scope: 'user',
      monitor: { plantCount: 2, plants: ['Rooftop <West>', 'Barn array'] },
    });
    expect(entry.monitor.fetchedAt).toBeGreaterThan(loggedOutAt);
    expect(entry.monitor.error).toBeUndefined();
  });

  it('keeps the last error code when the plant list cannot be read, beside the last result', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', iso.fake);
    await until(() => iso.fake.count('plants') >= 1, 'a first plant monitor round');
    for (let i = 0; i < 50; i++) iso.fake.forceError('plants', 'E999'); // too many requests
    const calls = iso.fake.count('plants');
    await until(() => iso.fake.count('plants') >= calls + 1, 'a failed round');

    const [entry] = (await (await browser.get('/api/connections', JSON_)).json()) as Array<
      Record<string, any>
    >;
    expect(entry.monitor).toMatchObject({ error: 'rate_limited', plantCount: 2 });
    expect(entry.monitor.errorAt).toBeGreaterThan(entry.monitor.fetchedAt);
    const html = await (await browser.get('/', HTML)).text();
    expect(byTestId(html, 'plant-monitor-error')).toMatch(
      /^last try failed \(rate_limited\) at \d\d:\d\d:\d\d UTC$/,
    );
    iso.fake.reset(); // back to normal for the next test
  });

  it('stops visiting a user who disconnected', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'isolarcloud', iso.fake);
    await until(() => iso.fake.count('plants') >= 1, 'a first plant monitor round');
    const res = await browser.request('DELETE', '/api/connections/isolarcloud', JSON_);
    expect(res.status).toBe(204);
    const calls = iso.fake.count('plants');
    await new Promise((r) => setTimeout(r, 2500)); // two rounds' time
    expect(iso.fake.count('plants')).toBe(calls);
  });
});
