import { PLATFORMS } from '../support/platforms';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SETUP_TIMEOUT_MS, launchChromium, screenshot } from './support/chromium';
import { startDemoApp, type DemoApp, type DemoFakes } from './support/demo-app';
import {
  approveToHome,
  callProviderApi,
  decide,
  openConsent,
  preparePage,
} from './support/login-pages';

/** Plants the demo iSolarCloud user owns (and authorizes), with names only the plant list knows. */
const PLANTS = [
  { id: '700667048', name: 'Rooftop West' },
  { id: '342472479', name: 'Barn array' },
  { id: '542241', name: 'Carport' },
];

interface Case {
  id: keyof DemoFakes;
  name: string;
  /** The profile id the fake's user gets. */
  userId: (fakes: DemoFakes) => string;
  /** Asserts the `data` of `GET /api/:provider/profile` is this provider's API answer. */
  expectApiData: (data: any, fakes: DemoFakes) => void;
}

const CASES: Case[] = [
  {
    id: 'isolarcloud',
    name: 'iSolarCloud',
    userId: (f) => String(f.isolarcloud.userId),
    expectApiData: (data) => {
      expect(data.rowCount).toBe(PLANTS.length);
      expect(data.pageList.map((p: { ps_name: string }) => p.ps_name)).toEqual(
        PLANTS.map((p) => p.name),
      );
    },
  },
  {
    id: 'tencent-ciam',
    name: 'Tencent Cloud CIAM',
    userId: () => 'MOCK_USERNAME',
    expectApiData: (data) => expect(data).toMatchObject({ name: 'Mock User' }),
  },
  {
    id: 'xt',
    name: 'XT.COM',
    userId: (f) => f.xt.userId,
    expectApiData: (data, f) => expect(data).toMatchObject({ user_id: f.xt.userId }),
  },
];

describe.each(PLATFORMS)(
  'logging in with a real browser (chromium) against the demo sample app on %s',
  (platform) => {
    let browser: Browser;
    let app: DemoApp;

    beforeAll(async () => {
      browser = await launchChromium();
      app = await startDemoApp(platform);
      app.fakes.isolarcloud.plants = PLANTS;
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    }, SETUP_TIMEOUT_MS);

    describe.each(CASES)('with $name', ({ id, name, userId, expectApiData }) => {
      let context: BrowserContext;
      let page: Page;
      let errors: string[];

      beforeEach(async () => {
        context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
        page = await context.newPage();
        ({ errors } = preparePage(page));
      });
      afterEach(() => context?.close());

      it('approves at the consent page, shows the profile and token expiry, calls the provider API and logs out', async () => {
        // anonymous home page, demo mode on as main.ts sets it
        await page.goto(`${app.url}/`);
        await page.locator('#anonymous').waitFor();
        expect(await page.getByTestId('demo-banner').isVisible()).toBe(true);

        // the provider's consent page, then back home logged in
        await openConsent(page, app.url, id, app.fakes[id].url);
        expect(await page.locator('h1').textContent()).toBe(name);
        await approveToHome(page, app.url, id);
        expect(await page.getByTestId('profile-provider').textContent()).toBe(id);
        expect(await page.getByTestId('profile-id').textContent()).toBe(userId(app.fakes));
        expect(await page.locator('#anonymous').count()).toBe(0);

        if (id === 'isolarcloud') {
          expect(await page.locator('#plants .plant-name').allTextContents()).toEqual(
            PLANTS.map((p) => p.name),
          );
        } else {
          expect(await page.locator('#plants').count()).toBe(0);
        }

        const expiry = page.getByTestId(`token-expiry-${id}`);
        const iso = (await expiry.getAttribute('datetime'))!;
        expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Date.parse(iso)).toBeGreaterThan(Date.now());
        expect(await expiry.isVisible()).toBe(true);

        // the API call shows its answer in place (the page stays where it is)
        const result = await callProviderApi(page, id);
        const [status, ...json] = result.split('\n');
        expect(status).toBe('HTTP 200');
        const body = JSON.parse(json.join('\n'));
        expect(body.provider).toBe(id);
        expectApiData(body.data, app.fakes);
        expect(page.url()).toBe(`${app.url}/`);

        await screenshot(page, `${id}-logged-in`);

        // logout: the form post lands on the anonymous page, the session cookie is gone
        await page.getByTestId('logout').click();
        await page.locator('#anonymous').waitFor();
        expect(page.url()).toBe(`${app.url}/`);
        expect(await page.locator('#profile').count()).toBe(0);
        expect((await context.cookies()).map((c) => c.name)).not.toContain('auth_session');
        expect(errors).toEqual([]);
      }, 90_000);

      it('denied at the consent page, shows a readable 403 page naming the refusal', async () => {
        await openConsent(page, app.url, id, app.fakes[id].url);
        const callback = await decide(page, app.url, id, 'deny');

        expect(callback.status()).toBe(403);
        expect(new URL(page.url()).pathname).toBe(`/auth/${id}/callback`);
        expect(await page.locator('#error-title').innerText()).toBe('Sign-in problem (403)');
        expect(await page.locator('#error-message').innerText()).toBe(
          `${name} did not grant access (access_denied)`,
        );
        expect(await page.locator('body').innerText()).toContain('Provider code: access_denied');
        expect(await page.locator('#error-action').getAttribute('href')).toBe(`/auth/${id}/login`);
        if (id === 'isolarcloud') await screenshot(page, 'error-page');

        // nothing was logged in
        await page.goto(`${app.url}/`);
        await page.locator('#anonymous').waitFor();
        expect(errors).toEqual([]);
      }, 60_000);
    });
  },
);
