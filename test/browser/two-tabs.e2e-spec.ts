import { PLATFORMS } from '../support/platforms';
import type { Browser } from 'playwright-core';
import { SETUP_TIMEOUT_MS, launchChromium } from './support/chromium';
import { startDemoApp, type DemoApp, type DemoFakes } from './support/demo-app';
import { approveToHome, openConsent, preparePage } from './support/login-pages';

const PROVIDERS: Array<keyof DemoFakes> = ['isolarcloud', 'tencent-ciam', 'xt'];

describe.each(PLATFORMS)(
  'two tabs of one browser logging in at the same time (chromium, on %s)',
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

    it.each(PROVIDERS)(
      'completes both %s logins, each with its own pending transaction in the shared cookie jar',
      async (id) => {
        const fake = app.fakes[id];
        const context = await browser.newContext();
        const transactionCookies = async () =>
          (await context.cookies()).filter((c) => c.name.startsWith('auth_tx_'));
        try {
          const tabs = [await context.newPage(), await context.newPage()];
          const errors = tabs.map((t) => preparePage(t).errors);
          fake.reset();

          // both logins are pending at the provider before either comes back
          await Promise.all(tabs.map((t) => openConsent(t, app.url, id, fake.url)));
          expect(await transactionCookies()).toHaveLength(2);
          await Promise.all(tabs.map((t) => approveToHome(t, app.url, id)));

          for (const tab of tabs) {
            expect(tab.url()).toBe(`${app.url}/`);
            expect(await tab.getByTestId('profile-provider').textContent()).toBe(id);
          }
          expect(fake.count('token')).toBe(2);
          expect(await transactionCookies()).toEqual([]);

          // the tabs share one session: a reload of either is still logged in
          await tabs[0].reload();
          await tabs[0].locator('#profile').waitFor();
          expect((await context.cookies()).filter((c) => c.name === 'auth_session')).toHaveLength(
            1,
          );
          expect(errors).toEqual([[], []]);
        } finally {
          await context.close();
        }
      },
      90_000,
    );
  },
);
