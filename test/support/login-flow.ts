import type { FakeServer } from 'nestjs-auth-code/testing';
import { Browser, onServer } from './browser';

/** The steps of one login, kept for assertions. */
export interface LoginSteps {
  /** The provider URL the app redirected to. */
  authorizeUrl: URL;
  /** The callback URL the provider redirected back to (on the app server). */
  callbackUrl: string;
  /** The app's answer to the callback. */
  callback: Response;
}

/**
 * Drives one login as a browser would: `/auth/:id/login` → the fake's consent (approve or deny) →
 * back to the app's callback with the same cookies.
 */
export async function login(
  browser: Browser,
  providerId: string,
  fake: FakeServer,
  opts: { returnTo?: string; decision?: 'approve' | 'deny' } = {},
): Promise<LoginSteps> {
  const start = await browser.get(
    `/auth/${providerId}/login${opts.returnTo !== undefined ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : ''}`,
  );
  if (start.status !== 302)
    throw new Error(`login answered ${start.status}: ${await start.text()}`);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const back = await fake.consent(authorizeUrl.toString(), opts.decision ?? 'approve');
  const callbackUrl = onServer(back, browser.baseUrl);
  const callback = await browser.get(callbackUrl);
  return { authorizeUrl, callbackUrl, callback };
}

/** Starts a login and returns the authorize URL without completing it. */
export async function startLogin(browser: Browser, providerId: string): Promise<URL> {
  const start = await browser.get(`/auth/${providerId}/login`);
  if (start.status !== 302)
    throw new Error(`login answered ${start.status}: ${await start.text()}`);
  return new URL(start.headers.get('location')!);
}
