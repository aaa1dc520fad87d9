import type { Page, Response } from 'playwright-core';
import { STEP_TIMEOUT_MS } from './chromium';

/** A new page's waits are sized for a loaded machine; page errors are collected for assertions. */
export function preparePage(page: Page): { errors: string[] } {
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { errors };
}

/**
 * Opens the app's home page, clicks the provider's login button and waits for the fake's consent
 * page (its Approve button) at `fakeUrl`.
 */
export async function openConsent(
  page: Page,
  appUrl: string,
  provider: string,
  fakeUrl: string,
): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.getByTestId(`login-${provider}`).click();
  await page.waitForURL((u) => u.href.startsWith(fakeUrl));
  await page.locator('#approve').waitFor();
}

/**
 * Clicks Approve or Deny on the open consent page and waits until the browser is back on the app
 * (the home page, or an error page at the callback). Returns the app's answer to the callback.
 */
export async function decide(
  page: Page,
  appUrl: string,
  provider: string,
  decision: 'approve' | 'deny',
): Promise<Response> {
  const callback = page.waitForResponse((r) =>
    r.url().startsWith(`${appUrl}/auth/${provider}/callback?`),
  );
  await page.locator(`#${decision}`).click();
  const res = await callback;
  await page.waitForURL((u) => u.origin === appUrl);
  return res;
}

/** Approves and expects to land on the home page; otherwise fails with what the page says. */
export async function approveToHome(page: Page, appUrl: string, provider: string): Promise<void> {
  const callback = await decide(page, appUrl, provider, 'approve');
  if (page.url() !== `${appUrl}/`) {
    const said = await page.locator('body').innerText();
    throw new Error(
      `after Approve the browser is at ${new URL(page.url()).pathname} (callback answered ` +
        `${callback.status()}), not on the home page; the page says: ${said}`,
    );
  }
  await page.locator('#profile').waitFor();
}

/** Clicks the provider API button and returns what appears in its result box once it answered. */
export async function callProviderApi(page: Page, provider: string): Promise<string> {
  await page.getByTestId(`call-api-${provider}`).click();
  await page.waitForFunction(
    (id) => (document.getElementById(`api-result-${id}`)?.textContent ?? '').startsWith('HTTP '),
    provider,
    { timeout: STEP_TIMEOUT_MS },
  );
  return (await page.getByTestId(`api-result-${provider}`).textContent()) ?? '';
}
