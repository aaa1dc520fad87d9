import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, installed by `scripts/test-prerequisites.sh`. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where the browser tests save their screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

/** How long a browser may take to start on a loaded 2-core machine. */
export const LAUNCH_TIMEOUT_MS = 60_000;

/** Budget of a test file's `beforeAll`/`afterAll`: a browser launch plus the app and its fakes. */
export const SETUP_TIMEOUT_MS = 2 * LAUNCH_TIMEOUT_MS;

/** How long one page step (navigation, element) may take on a loaded machine. */
export const STEP_TIMEOUT_MS = 20_000;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Starts headless chromium with a fresh temporary profile (Playwright creates the user-data dir
 * and deletes it at `close()`). A missing chromium is an error, never a skip: the browser tests
 * are part of `npm test`.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need chromium at ${CHROMIUM_PATH}, which is missing: ` +
        'run `bash scripts/test-prerequisites.sh` (as root) or `apt-get install -y chromium`',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    timeout: LAUNCH_TIMEOUT_MS,
  });
}

/** Saves a full-page screenshot as `test-artifacts/screenshots/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
