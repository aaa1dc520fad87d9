import { Browser } from '../support/browser';
import { pendingLogin } from '../support/http-steps';
import { xtFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** Logins one browser starts without finishing: ~181 of them used to lock it out (431). */
const STARTED = 200;
/** Pending-login cookies a browser keeps by default. */
const PER_BROWSER = 5;

const pendingCookies = (b: Browser) =>
  [...b.cookies.keys()].filter((n) => n.startsWith('auth_tx_'));
const cookieHeader = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('a browser that starts many logins keeps a small Cookie header (issue 9, hole 4)', () => {
  const seed = useSeedApp(xtFixture);

  it(`holds at most ${PER_BROWSER} pending-login cookies after ${STARTED} starts, and its newest logins complete`, async () => {
    const browser = new Browser(seed.app.url);
    const callbacks: string[] = [];
    let longestHeader = 0;
    for (let i = 0; i < STARTED; i++) {
      const { callbackUrl, start } = await pendingLogin(browser, 'xt', seed.fx.fake);
      expect(start.status).toBe(302);
      expect(pendingCookies(browser).length).toBeLessThanOrEqual(PER_BROWSER);
      longestHeader = Math.max(longestHeader, cookieHeader(browser).length);
      callbacks.push(callbackUrl);
    }
    expect(pendingCookies(browser)).toHaveLength(PER_BROWSER);
    expect(longestHeader).toBeLessThan(1024);

    // an attempt whose cookie was dropped can no longer complete...
    const dropped = await browser.get(callbacks[STARTED - PER_BROWSER - 1]);
    expect(dropped.status).toBe(400);
    expect(await dropped.json()).toMatchObject({ error: 'invalid_state' });
    // ...the newest ones all do, in any order, and the browser lands logged in
    for (const url of callbacks.slice(-PER_BROWSER).reverse()) {
      const done = await browser.get(url);
      expect(done.status).toBe(302);
    }
    expect(pendingCookies(browser)).toEqual([]);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
  }, 60_000);

  it('expires the oldest cookie in the very answer that adds a new one', async () => {
    const browser = new Browser(seed.app.url);
    for (let i = 0; i < PER_BROWSER; i++) await pendingLogin(browser, 'xt', seed.fx.fake);
    const before = pendingCookies(browser);
    const { start } = await pendingLogin(browser, 'xt', seed.fx.fake);
    const lines = start.headers.getSetCookie();
    const expired = lines.filter((l) => /Max-Age=0/.test(l)).map((l) => l.split('=')[0]);
    const added = lines.filter((l) => !/Max-Age=0/.test(l)).map((l) => l.split('=')[0]);
    expect(expired).toEqual([before[0]]);
    expect(added).toHaveLength(1);
    expect(pendingCookies(browser)).toEqual([...before.slice(1), added[0]]);
  });
});
