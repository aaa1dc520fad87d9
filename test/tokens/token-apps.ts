import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AuthSessionService, TokenService, type StoredGrant } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import type { ProviderFixture } from '../support/provider-fixtures';
import type { TestApp } from '../support/test-app';

/** The shared Redis every developer runs; tests only ever touch keys under their own prefix. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';
/** The key `startTestApp` encrypts with (32 bytes of 7), as `AUTH_ENCRYPTION_KEYS` spells it. */
export const KEY_1 = Buffer.alloc(32, 7).toString('base64');
/** A second key, for rotation. */
export const KEY_2 = Buffer.alloc(32, 9).toString('base64');

/** A key prefix no other run (or other test) uses. */
export function uniquePrefix(scenario: string): string {
  return `test:tokens:${scenario}:${randomUUID().slice(0, 8)}:`;
}

/** The sample app's answer to `GET /api/:provider/token`. */
export interface TokenAnswer {
  status: number;
  /** Parsed JSON body (`{ provider, expiresAt, refreshed }` or an error body). */
  body: Record<string, unknown>;
  /** The raw body. */
  text: string;
}

/** `GET /api/:provider/token` as `browser`. */
export async function askToken(
  browser: Browser,
  provider: string,
  headers: Record<string, string> = {},
): Promise<TokenAnswer> {
  const res = await browser.get(`/api/${provider}/token`, headers);
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // HTML answers keep an empty body; the text is there
  }
  return { status: res.status, body, text };
}

/** Logs in through `app` with the fixture's fake; returns the logged-in browser. */
export async function loginOn(app: TestApp, fx: ProviderFixture): Promise<Browser> {
  const browser = new Browser(app.url);
  const steps = await login(browser, fx.id, fx.fake);
  if (steps.callback.status !== 302) {
    throw new Error(`callback answered ${steps.callback.status}: ${await steps.callback.text()}`);
  }
  return browser;
}

/** A browser on `app` with the same cookies as `from`: the same user reaching another instance. */
export function sameUserOn(app: TestApp, from: Browser): Browser {
  const b = new Browser(app.url);
  for (const [k, v] of from.cookies) b.cookies.set(k, v);
  return b;
}

/** The session id behind the browser's signed cookie, as `app` reads it. */
export function sessionIdOf(app: TestApp, browser: Browser): string {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const id = app.app.get(AuthSessionService).sessionId({ headers: { cookie } });
  if (!id) throw new Error('the browser holds no valid session cookie');
  return id;
}

/** The decrypted grant, read through the app's TokenService (to know which secrets to look for). */
export function storedGrant(
  app: TestApp,
  browser: Browser,
  provider: string,
): Promise<StoredGrant | undefined> {
  return app.app.get(TokenService).getGrant(sessionIdOf(app, browser), provider);
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Every value stored at `key`, whatever its type (string, hash fields and values, set members). */
export async function rawValues(redis: Redis, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'string':
      return [(await redis.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'set':
      return redis.smembers(key);
    default:
      return [];
  }
}

/** Deletes every key under `prefix`. */
export async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

/** Closes apps, ignoring the ones that never started. */
export async function closeAll(apps: Array<TestApp | undefined>): Promise<void> {
  await Promise.all(apps.map((a) => a?.close()));
}
