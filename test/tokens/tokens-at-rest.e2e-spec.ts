import { Redis } from 'ioredis';
import { KeyRing } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from './refresh-knobs';
import {
  askToken,
  closeAll,
  deleteUnder,
  KEY_1,
  KEY_2,
  keysUnder,
  loginOn,
  rawValues,
  sameUserOn,
  sessionIdOf,
  SHARED_REDIS_URL,
  storedGrant,
  uniquePrefix,
} from './token-apps';

/** Inside the 60 s skew: the first token request refreshes. */
const DUE_LIFETIME = 30;
const keyIdOf = (key: string) => new KeyRing([Buffer.from(key, 'base64')]).keyIds[0];

/** The same string with one base64url character of the ciphertext body changed. */
function flipOneByte(sealed: string): string {
  const at = sealed.lastIndexOf('.') + 20;
  const replacement = sealed[at] === 'A' ? 'B' : 'A';
  return sealed.slice(0, at) + replacement + sealed.slice(at + 1);
}

describe.each(SEED_FIXTURES)('tokens at rest in Redis with %s', (_id, makeFixture) => {
  let fx: ProviderFixture;
  let knobs: RefreshKnobs;
  let redis: Redis;
  let prefix: string;
  let apps: TestApp[] = [];
  const start = async (extra: { encryptionKeys?: string; refreshSkewSeconds?: number } = {}) => {
    const app = await startTestApp({
      providers: [fx.definition],
      store: SHARED_REDIS_URL,
      storeKeyPrefix: prefix,
      ...extra,
    });
    apps.push(app);
    return app;
  };
  /** The one key under the prefix whose name starts with `kind:` (after the prefix). */
  const keyOf = async (kind: 'session' | 'grant') => {
    const keys = (await keysUnder(redis, prefix)).filter((k) => k.startsWith(`${prefix}${kind}:`));
    expect(keys).toHaveLength(1);
    return keys[0];
  };

  beforeAll(async () => {
    fx = await makeFixture();
    knobs = refreshKnobs(fx);
    redis = new Redis(SHARED_REDIS_URL);
  });
  afterAll(async () => {
    await fx?.fake.stop();
    await redis.quit();
  });
  beforeEach(() => {
    fx.fake.reset();
    knobs.setAccessTokenLifetime(3600);
    prefix = uniquePrefix('at-rest');
  });
  afterEach(async () => {
    await closeAll(apps);
    apps = [];
    await deleteUnder(redis, prefix);
  });

  it('keeps no token, code, state or session id readable in Redis, before and after a refresh', async () => {
    const app = await start();
    knobs.setAccessTokenLifetime(DUE_LIFETIME);
    const browser = new Browser(app.url);
    const steps = await login(browser, fx.id, fx.fake);
    expect(steps.callback.status).toBe(302);
    const callback = new URL(steps.callbackUrl).searchParams;
    const secrets = [
      callback.get('code')!,
      callback.get('state')!,
      sessionIdOf(app, browser),
      ...[...browser.cookies.values()],
    ];
    const before = (await storedGrant(app, browser, fx.id))!.tokenSet;
    expect((await askToken(browser, fx.id)).body.refreshed).toBe(true);
    const after = (await storedGrant(app, browser, fx.id))!.tokenSet;
    expect(after.accessToken).not.toBe(before.accessToken);
    for (const t of [before, after]) {
      secrets.push(t.accessToken, ...[t.refreshToken, t.idToken].filter((s): s is string => !!s));
    }
    expect(secrets.every((s) => s.length >= 6)).toBe(true);

    const keys = await keysUnder(redis, prefix);
    expect(keys.some((k) => k.startsWith(`${prefix}session:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}grant:`))).toBe(true);
    const leaks: string[] = [];
    for (const key of keys) {
      for (const text of [key, ...(await rawValues(redis, key))]) {
        const found = secrets.filter((s) => text.includes(s));
        if (found.length > 0) leaks.push(`${key}: ${found.length} secret(s)`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('treats a grant record with one flipped byte as logged out: 401, no refresh, no 500', async () => {
    const app = await start();
    const browser = await loginOn(app, fx);
    expect((await askToken(browser, fx.id)).status).toBe(200);
    const key = await keyOf('grant');
    const sealed = (await redis.hget(key, 'd'))!;
    expect(sealed.startsWith(`a1.${keyIdOf(KEY_1)}.`)).toBe(true);
    await redis.hset(key, 'd', flipOneByte(sealed));

    const answer = await askToken(browser, fx.id);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: 'login_required', provider: fx.id });
    expect(knobs.refreshCalls()).toHaveLength(0);
  });

  it('treats a session record with one flipped byte as logged out: 401, no 500', async () => {
    const app = await start();
    const browser = await loginOn(app, fx);
    expect((await browser.get('/me')).status).toBe(200);
    const key = await keyOf('session');
    const sealed = (await redis.get(key))!;
    await redis.set(key, flipOneByte(sealed), 'KEEPTTL');

    const me = await browser.get('/me');
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ error: 'login_required' });
    const answer = await askToken(browser, fx.id);
    expect(answer.status).toBe(401);
  });

  it('reads records written under key ring "1" after a restart with "2,1", and writes new ones with key 2', async () => {
    const [id1, id2] = [keyIdOf(KEY_1), keyIdOf(KEY_2)];
    const old = await start({ encryptionKeys: KEY_1 });
    knobs.setAccessTokenLifetime(DUE_LIFETIME);
    const browser = await loginOn(old, fx);
    expect((await redis.get(await keyOf('session')))!.startsWith(`a1.${id1}.`)).toBe(true);
    expect((await redis.hget(await keyOf('grant'), 'd'))!.startsWith(`a1.${id1}.`)).toBe(true);
    await old.close();
    apps = apps.filter((a) => a !== old);

    const rotated = await start({ encryptionKeys: `${KEY_2},${KEY_1}` });
    const there = sameUserOn(rotated, browser);
    const me = await there.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({ provider: fx.id, id: fx.userId });
    // the refresh reads the key-1 grant and writes the new tokens under key 2
    expect(await askToken(there, fx.id)).toMatchObject({ status: 200, body: { refreshed: true } });
    expect(knobs.refreshCalls()).toHaveLength(1);
    expect((await redis.hget(await keyOf('grant'), 'd'))!.startsWith(`a1.${id2}.`)).toBe(true);
    expect((await redis.get(await keyOf('session')))!.startsWith(`a1.${id1}.`)).toBe(true);

    // dropping key 1 too early logs the session out (its record is still under key 1), no crash
    const keyTwoOnly = await start({ encryptionKeys: KEY_2 });
    const early = sameUserOn(keyTwoOnly, browser);
    expect((await early.get('/me')).status).toBe(401);
    // ... also for its tokens, although the grant itself (rewritten under key 2) still opens
    expect((await askToken(early, fx.id)).status).toBe(401);
    expect((await there.get('/me')).status).toBe(200);
  });
});
