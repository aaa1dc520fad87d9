import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PLATFORMS } from '../support/platforms';
import { SETUP_TIMEOUT_MS, launchChromium, screenshot } from './support/chromium';
import { startDemoApp, type DemoApp } from './support/demo-app';
import { approveToHome, openConsent, preparePage } from './support/login-pages';

/** Console lines of a page that say the CSP blocked something. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

describe.each(PLATFORMS)(
  'the Connected-accounts panel in a real browser (chromium), demo sample app on %s',
  (platform) => {
    let browser: Browser;
    let app: DemoApp;

    beforeAll(async () => {
      browser = await launchChromium();
      app = await startDemoApp(platform);
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    }, SETUP_TIMEOUT_MS);

    describe('with JavaScript', () => {
      let context: BrowserContext;
      let page: Page;
      let errors: string[];
      let blocked: string[];

      beforeEach(async () => {
        context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
        page = await context.newPage();
        ({ errors } = preparePage(page));
        blocked = cspViolations(page);
      });
      afterEach(() => context?.close());

      it('connects two providers, counts down, refreshes now and disconnects one (revoked at the provider)', async () => {
        const tencent = app.fakes['tencent-ciam'];
        const iso = app.fakes.isolarcloud;
        tencent.reset();
        iso.reset();

        // log in with Tencent, then connect iSolarCloud from the panel's Connect button
        await openConsent(page, app.url, 'tencent-ciam', tencent.url);
        await approveToHome(page, app.url, 'tencent-ciam');
        expect(await page.getByTestId('connect-isolarcloud').getAttribute('href')).toBe(
          '/auth/isolarcloud/login?returnTo=%2F',
        );
        await page.getByTestId('connect-isolarcloud').click();
        await page.waitForURL((u) => u.href.startsWith(iso.url));
        await page.locator('#approve').waitFor();
        await approveToHome(page, app.url, 'isolarcloud');

        // both rows: who, status, a live countdown
        const rows = page.locator('#connections tr[data-provider]');
        expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.provider))).toEqual([
          'isolarcloud',
          'tencent-ciam',
        ]);
        expect(await page.getByTestId('connection-who-tencent-ciam').innerText()).toBe(
          'Mock User #MOCK_USERNAME',
        );
        expect(await page.getByTestId('connection-who-isolarcloud').innerText()).toContain(
          `#${iso.userId}`,
        );
        for (const id of ['tencent-ciam', 'isolarcloud']) {
          expect(await page.getByTestId(`connection-status-${id}`).innerText()).toBe('connected');
        }
        const countdown = page.getByTestId('connection-expiry-tencent-ciam');
        const first = await countdown.innerText();
        expect(first).toMatch(/^in 4 min \d\d s$/); // the fake's 299 s token, counting down
        await page.waitForFunction(
          (before) =>
            document.querySelector('[data-testid="connection-expiry-tencent-ciam"]')
              ?.textContent !== before,
          first,
        );
        const second = await countdown.innerText();
        expect(second).toMatch(/^in 4 min \d\d s$/);
        expect(second).not.toBe(first);
        expect(await page.getByTestId('plant-monitor').innerText()).toMatch(/^Plant monitor: /);

        // Refresh now: one upstream refresh, the row shows it
        expect(await page.getByTestId('connection-last-refresh-isolarcloud').innerText()).toBe(
          'never since the login',
        );
        await page.getByTestId('refresh-isolarcloud').click();
        await page
          .getByTestId('connections-message')
          .filter({ hasText: 'iSolarCloud refreshed' })
          .waitFor();
        expect(iso.count('refresh')).toBe(1);
        expect(await page.getByTestId('connection-last-refresh-isolarcloud').innerText()).toMatch(
          /^\d\d:\d\d:\d\d UTC$/,
        );
        expect(page.url()).toBe(`${app.url}/`); // in place, no navigation

        await screenshot(page, `connected-accounts-${platform}`);

        // Disconnect Tencent: its row goes, Connect comes back, the fake saw the revocation
        await page.getByTestId('disconnect-tencent-ciam').click();
        await page.getByTestId('connection-tencent-ciam').waitFor({ state: 'detached' });
        await page.getByTestId('connect-tencent-ciam').waitFor();
        expect(tencent.requestsTo('revoke')).toHaveLength(1);
        expect(await page.getByTestId('connection-isolarcloud').count()).toBe(1);

        // and the server agrees after a reload
        await page.reload();
        expect(await page.getByTestId('connection-tencent-ciam').count()).toBe(0);
        expect(await page.getByTestId('connection-isolarcloud').count()).toBe(1);
        expect(errors).toEqual([]);
        expect(blocked).toEqual([]);
      }, 120_000);
    });

    describe('without JavaScript', () => {
      it('disconnects with the plain form post: back on the page, the row gone, revoked', async () => {
        const context = await browser.newContext({ javaScriptEnabled: false });
        try {
          const page = await context.newPage();
          preparePage(page);
          const tencent = app.fakes['tencent-ciam'];
          tencent.reset();
          await openConsent(page, app.url, 'tencent-ciam', tencent.url);
          // the fake's consent page needs no script either: Approve is a plain form
          await approveToHome(page, app.url, 'tencent-ciam');
          expect(await page.getByTestId('connection-expiry-tencent-ciam').innerText()).toMatch(
            /^in 4 min \d\d s$/,
          );
          await page.getByTestId('disconnect-tencent-ciam').click();
          await page.waitForURL(`${app.url}/`);
          await page.locator('#connections').waitFor();
          expect(await page.getByTestId('connection-tencent-ciam').count()).toBe(0);
          expect(tencent.requestsTo('revoke')).toHaveLength(1);
        } finally {
          await context.close();
        }
      }, 90_000);
    });
  },
);
