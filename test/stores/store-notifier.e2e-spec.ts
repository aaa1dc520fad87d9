import { Redis } from 'ioredis';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { deleteUnder, SHARED_REDIS_URL, uniquePrefix } from '../tokens/token-apps';

/** Subscribers of a Redis store's notification channel, counted by Redis itself. */
async function subscribers(raw: Redis, prefix: string): Promise<number> {
  return ((await raw.pubsub('NUMSUB', `${prefix}grant-written`)) as [string, number])[1];
}

/** Polls until `read` returns `want` (a subscription is made asynchronously after start-up). */
async function eventually(read: () => Promise<number>, want: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const got = await read();
    if (got === want) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
  return read();
}

describe('the module wires a store notifier per app and closes it on shutdown (Redis store)', () => {
  let fx: ProviderFixture;
  let raw: Redis;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    fx = await isolarcloudFixture();
    raw = new Redis(SHARED_REDIS_URL);
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await fx.fake.stop();
    await raw.quit();
  });

  it('subscribes one connection per app on <prefix>grant-written and unsubscribes at app.close()', async () => {
    const prefix = uniquePrefix('notifier');
    const start = () =>
      startTestApp({ providers: [fx.definition], store: SHARED_REDIS_URL, storeKeyPrefix: prefix });
    const a = await start();
    const b = await start();
    apps.push(a, b);
    expect(await eventually(() => subscribers(raw, prefix), 2)).toBe(2);
    await apps.pop()!.close();
    expect(await subscribers(raw, prefix)).toBe(1);
    await apps.pop()!.close();
    expect(await subscribers(raw, prefix)).toBe(0);
    await deleteUnder(raw, prefix);
  });

  it("opens no subscriber with storeNotify 'off' (AUTH_STORE_NOTIFY=off): waiters poll", async () => {
    const prefix = uniquePrefix('notifier');
    const app = await startTestApp({
      providers: [fx.definition],
      store: SHARED_REDIS_URL,
      storeKeyPrefix: prefix,
      storeNotify: 'off',
    });
    apps.push(app);
    // the token route still answers through the store: the app is up
    const res = await fetch(`${app.url}/api/${fx.id}/token`);
    expect(res.status).toBe(401);
    expect(await subscribers(raw, prefix)).toBe(0);
    await apps.pop()!.close();
  });
});
