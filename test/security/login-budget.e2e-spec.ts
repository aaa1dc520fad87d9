import { MemoryTokenStore } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { LoopbackClient } from '../support/from-address';
import { login } from '../support/login-flow';
import { xtFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import type { FakeXt } from 'nestjs-auth-code/testing';

/** High enough that the per-minute rate limit never answers before the attempt budget does. */
const NO_RATE_LIMIT = 100_000;

/** Anonymous clients, each at its own loopback address. */
function clients(from: number, count: number): LoopbackClient[] {
  return Array.from({ length: count }, (_, i) => new LoopbackClient(`127.0.0.${from + i}`));
}

/** `n` login starts from `client`, in order; their statuses. */
async function startLogins(app: TestApp, client: LoopbackClient, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await client.get(`${app.url}/auth/xt/login`)).status);
  return statuses;
}

describe('anonymous login starts against the attempt budget (issue 9, hole 3)', () => {
  let fx: ProviderFixture<FakeXt>;
  let app: TestApp | undefined;
  const opened: LoopbackClient[] = [];

  async function appWith(options: Omit<TestAppOptions, 'providers'>): Promise<TestApp> {
    app = await startTestApp({ providers: [fx.definition], rateLimit: NO_RATE_LIMIT, ...options });
    return app;
  }
  async function loggedIn(on: TestApp): Promise<Browser> {
    const browser = new Browser(on.url);
    expect((await login(browser, 'xt', fx.fake)).callback.status).toBe(302);
    return browser;
  }
  function track(list: LoopbackClient[]): LoopbackClient[] {
    opened.push(...list);
    return list;
  }

  beforeAll(async () => {
    fx = await xtFixture();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    opened.splice(0).forEach((c) => c.close());
  });
  afterAll(() => fx?.fake.stop());

  it('answers 429 rate_limited to one client beyond its budget, and other clients still start logins', async () => {
    const on = await appWith({ loginAttempts: { perClient: 20, total: 1000 } });
    const [greedy, other] = track(clients(2, 2));
    expect(await startLogins(on, greedy, 20)).toEqual(Array(20).fill(302));

    const refused = await greedy.get(`${on.url}/auth/xt/login`, { accept: 'application/json' });
    expect(refused.status).toBe(429);
    // the client's oldest attempt frees a place when it expires, within the attempt lifetime
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(600);
    expect(JSON.parse(refused.body)).toMatchObject({
      statusCode: 429,
      error: 'rate_limited',
      message: expect.stringMatching(/Too many unfinished logins \(20\).*10 minutes/),
    });
    expect(
      refused.setCookies.filter((c) => c.includes('auth_tx_') && !c.includes('Max-Age=0')),
    ).toEqual([]);
    expect((await other.get(`${on.url}/auth/xt/login`)).status).toBe(302);
  });

  it('answers 503 to new logins once the total is spent, while a logged-in user’s /me stays 200', async () => {
    const on = await appWith({ loginAttempts: { perClient: 20, total: 60 } });
    const user = await loggedIn(on);
    const crowd = track(clients(10, 4));
    const statuses = (await Promise.all(crowd.map((c) => startLogins(on, c, 20)))).flat();
    expect(statuses.filter((s) => s === 302)).toHaveLength(60);
    expect(statuses.filter((s) => s === 503)).toHaveLength(20);

    const refused = await track(clients(20, 1))[0].get(`${on.url}/auth/xt/login`, {
      accept: 'text/html',
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).toContain('Too many logins are in progress on this server right now');

    const me = await user.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(fx.userId);
    expect((await user.get('/api/xt/token')).status).toBe(200);
  });

  it('frees a client’s slot when its login completes', async () => {
    const on = await appWith({ loginAttempts: { perClient: 1, total: 1000 } });
    const browser = new Browser(on.url);
    expect((await login(browser, 'xt', fx.fake)).callback.status).toBe(302);
    // the same client (127.0.0.1) may start another one now that the first has finished...
    expect((await login(browser, 'xt', fx.fake)).callback.status).toBe(302);
    expect((await browser.get('/auth/xt/login')).status).toBe(302);
    // ...but not two at once: the pending one holds its only slot
    expect((await browser.get('/auth/xt/login')).status).toBe(429);
  });

  it('never evicts a session for login attempts, even past the store’s size', async () => {
    const on = await appWith({
      loginAttempts: { perClient: 1000, total: 1000 },
      store: new MemoryTokenStore(undefined, { maxEntries: 50, sweepIntervalMs: 0 }),
    });
    const user = await loggedIn(on);
    const crowd = track(clients(30, 3));
    const statuses = (await Promise.all(crowd.map((c) => startLogins(on, c, 100)))).flat();
    expect(statuses).toEqual(Array(300).fill(302));

    const me = await user.get('/me');
    expect(me.status).toBe(200);
    expect((await user.get('/api/xt/token')).status).toBe(200);
    // and logins still work: the newest attempts were kept
    expect((await login(new Browser(on.url), 'xt', fx.fake)).callback.status).toBe(302);
  });
});
