import { request as httpRequest } from 'node:http';
import type { FakeServer } from 'nestjs-auth-code/testing';
import { Browser, onServer } from './browser';

/** One parsed `Set-Cookie` line. */
export interface SetCookie {
  /** Cookie name. */
  name: string;
  /** Cookie value ('' when cleared). */
  value: string;
  /** Attributes, lower-cased names → value ('' for flags such as HttpOnly). */
  attrs: Map<string, string>;
}

/** Parses every `Set-Cookie` header of a response. */
export function setCookies(res: { headers: Headers }): SetCookie[] {
  return res.headers.getSetCookie().map(parseSetCookie);
}

/** Parses one `Set-Cookie` line. */
export function parseSetCookie(line: string): SetCookie {
  const [pair, ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const i = a.indexOf('=');
    const key = (i === -1 ? a : a.slice(0, i)).trim().toLowerCase();
    attrs.set(key, i === -1 ? '' : a.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

/** A login driven up to the provider's redirect back, without calling the app's callback. */
export interface PendingLogin {
  /** The provider URL the app redirected to. */
  authorizeUrl: URL;
  /** The callback URL on the app server, as the provider sent the browser back. */
  callbackUrl: string;
  /** The app's answer to `/auth/:id/login`. */
  start: Response;
}

/**
 * `/auth/:id/login` → the fake's consent (approve or deny), stopping before the callback so a test
 * can tamper with it, send it from another browser, or complete several logins in any order.
 */
export async function pendingLogin(
  browser: Browser,
  providerId: string,
  fake: FakeServer,
  opts: { returnTo?: string; decision?: 'approve' | 'deny' } = {},
): Promise<PendingLogin> {
  const query = opts.returnTo !== undefined ? `?returnTo=${encodeURIComponent(opts.returnTo)}` : '';
  const start = await browser.get(`/auth/${providerId}/login${query}`);
  if (start.status !== 302)
    throw new Error(`login answered ${start.status}: ${await start.text()}`);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const back = await fake.consent(authorizeUrl.toString(), opts.decision ?? 'approve');
  return { authorizeUrl, callbackUrl: onServer(back, browser.baseUrl), start };
}

/** A callback URL with some query parameters replaced (`undefined` removes one). */
export function withQuery(url: string, changes: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  return u.toString();
}

/** An answer read by {@link rawGet}. */
export interface RawResponse {
  /** HTTP status. */
  status: number;
  /** `location` header, if any. */
  location?: string;
  /** Body text. */
  body: string;
}

/**
 * A GET through `node:http`, which (unlike fetch) lets a test send any `Host` header. Sends the
 * browser's cookies and stores the answer's cookies back into its jar.
 */
export function rawGet(
  browser: Browser,
  pathOrUrl: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const url = new URL(pathOrUrl, browser.baseUrl);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'GET', headers: { ...(cookie ? { cookie } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          for (const c of (res.headers['set-cookie'] ?? []).map(parseSetCookie)) {
            if (c.value === '' || c.attrs.get('max-age') === '0') browser.cookies.delete(c.name);
            else browser.cookies.set(c.name, c.value);
          }
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
