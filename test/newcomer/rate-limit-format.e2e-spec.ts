import { Browser } from '../support/browser';
import { PLATFORMS } from '../support/platforms';
import { xtFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** Spends the budget of `rateLimit: 1` so the next request is refused. */
async function overLimit(browser: Browser): Promise<void> {
  expect((await browser.get('/auth/xt/login', { accept: 'application/json' })).status).toBe(302);
}

describe.each(PLATFORMS)(
  'the rate limit answers in the library error format, on %s',
  (platform) => {
    // One app for both tests, in order: the first spends the client's budget of one request.
    const seed = useSeedApp(xtFixture, { platform, rateLimit: 1 });

    it('gives an API client the rate_limited JSON body with Retry-After and no-store', async () => {
      const browser = new Browser(seed.app.url);
      await overLimit(browser);
      const res = await browser.get('/auth/xt/login', { accept: 'application/json' });
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({
        statusCode: 429,
        error: 'rate_limited',
        message: `Too many sign-in requests from this address; try again in ${retryAfter} s`,
      });
    });

    it('gives a browser the error page, not the throttler JSON', async () => {
      // the same client as above: its one request per minute is spent
      const browser = new Browser(seed.app.url);
      const res = await browser.get('/auth/xt/login', { accept: 'text/html' });
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const html = await res.text();
      expect(html).toContain('<h1 id="error-title">Sign-in problem (429)</h1>');
      expect(html).toContain('Too many sign-in requests from this address');
    });
  },
);
