import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCluster } from '../../../../test/support/redis-cluster';
import { RedisProcess } from '../../../../test/support/redis-process';
import { rejectionOf } from '../../../../test/support/rejection';
import type { TokenLogger } from '../core/token-logger';
import { ServiceUnavailableError } from '../errors/auth-code.errors';
import { KeyRing } from '../tokens/crypto/key-ring';
import { RedisStoreNotifier } from './redis-store.notifier';
import { RedisTokenStore } from './redis-token.store';
import { grantSignal } from './store-notifier.interface';

const URL = 'redis://127.0.0.1:6379';
const sessionId = () => randomBytes(32).toString('base64url');

/** The next message on `channel`, read by a plain client of our own. */
async function nextMessage(raw: Redis, channel: string): Promise<() => Promise<string>> {
  await raw.subscribe(channel);
  const message = new Promise<string>((resolve) =>
    raw.once('message', (_channel: string, m: string) => resolve(m)),
  );
  return () => message;
}

describe('RedisStoreNotifier on one Redis (two instances, each with its own connections)', () => {
  const prefix = `notifier-test:${randomUUID().slice(0, 8)}:`;
  const open: Array<{ close(): Promise<void> }> = [];
  function instance(keyPrefix = prefix): RedisStoreNotifier {
    const store = new RedisTokenStore({ redis: URL, cipher: KeyRing.ephemeral(), keyPrefix });
    const notifier = new RedisStoreNotifier({ redis: store.client, keyPrefix });
    open.push(notifier, store);
    return notifier;
  }
  afterEach(async () => {
    for (const part of open.splice(0)) await part.close();
  });

  it("wakes a wait on instance A with instance B's announcement, long before its timeout", async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const woken = a.waitForGrant(sid, 'acme', 20_000);
    await b.grantWritten(sid, 'acme');
    // true: woken by the message (a timeout resolves false, and would take 20 s)
    expect(await woken).toBe(true);
  });

  it('resolves false when nothing is announced, and when another grant is', async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const quiet = a.waitForGrant(sid, 'acme', 50);
    const otherProvider = a.waitForGrant(sid, 'acme', 300);
    await b.grantWritten(sid, 'other');
    await b.grantWritten(sessionId(), 'acme');
    expect(await Promise.all([quiet, otherProvider])).toEqual([false, false]);
  });

  it('publishes the digest of owner and provider on <prefix>grant-written, never the session id', async () => {
    const b = instance();
    expect(b.channel).toBe(`${prefix}grant-written`);
    const raw = new Redis(URL);
    try {
      const message = await nextMessage(raw, b.channel);
      const sid = sessionId();
      await b.grantWritten(sid, 'acme');
      const payload = await message();
      expect(payload).toBe(grantSignal(sid, 'acme'));
      expect(payload).not.toContain(sid);
      expect(payload).not.toContain('acme');
    } finally {
      raw.disconnect();
    }
  });

  it('keeps apps with different key prefixes apart', async () => {
    const a = instance(`${prefix}app-a:`);
    const b = instance(`${prefix}app-b:`);
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const wait = a.waitForGrant(sid, 'acme', 300);
    await b.grantWritten(sid, 'acme');
    expect(await wait).toBe(false);
  });

  it('subscribes on a connection of its own and leaves the given client open on close', async () => {
    const store = new RedisTokenStore({
      redis: URL,
      cipher: KeyRing.ephemeral(),
      keyPrefix: prefix,
    });
    const notifier = new RedisStoreNotifier({ redis: store.client, keyPrefix: prefix });
    await notifier.whenListening();
    const raw = new Redis(URL);
    try {
      const count = async () =>
        ((await raw.pubsub('NUMSUB', notifier.channel)) as [string, number])[1];
      expect(await count()).toBe(1);
      // the store's own connection is not in subscriber mode: it still runs commands
      expect(await store.client.ping()).toBe('PONG');
      const pending = notifier.waitForGrant(sessionId(), 'acme', 20_000);
      await notifier.close();
      expect(await pending).toBe(false);
      expect(await count()).toBe(0);
      expect(store.client.status).toBe('ready');
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});

describe('RedisStoreNotifier when its Redis goes away (own redis-server)', () => {
  let redis: RedisProcess;
  let notifier: RedisStoreNotifier;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };

  beforeAll(async () => {
    redis = await RedisProcess.start();
    notifier = new RedisStoreNotifier({ redis: redis.url, maxReconnectDelayMs: 100, logger });
    await notifier.whenListening();
  });
  afterAll(async () => {
    await notifier.close();
    await redis.dispose();
  });

  it('lets waits time out (false, no throw) while down, refuses announcements with store_unavailable, and listens again once back', async () => {
    const sid = sessionId();
    await redis.stop();
    const wait = await notifier.waitForGrant(sid, 'acme', 200);
    expect(wait).toBe(false);
    expect(notifier.listening).toBe(false);
    const err = await rejectionOf(notifier.grantWritten(sid, 'acme'), ServiceUnavailableError);
    expect(err.code).toBe('store_unavailable');
    expect(lines.some((l) => l.startsWith('Redis grant notifications lost ('))).toBe(true);

    await redis.restart();
    await notifier.whenListening();
    const woken = notifier.waitForGrant(sid, 'acme', 20_000);
    await notifier.grantWritten(sid, 'acme');
    expect(await woken).toBe(true);
    expect(lines).toContain('Redis grant notifications restored');
    expect(lines.join('\n')).not.toContain(sid);
  });
});

describe('RedisStoreNotifier on a Redis Cluster (3 masters)', () => {
  let cluster: RedisCluster;
  const open: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
  }, 60_000);
  afterAll(async () => {
    for (const part of open.splice(0)) await part.close();
    await cluster?.stop();
  });

  function instance(): RedisStoreNotifier {
    const store = new RedisTokenStore({ redis: cluster.url, cipher: KeyRing.ephemeral() });
    const notifier = new RedisStoreNotifier({ redis: store.client });
    open.push(notifier, store);
    return notifier;
  }

  it("wakes a wait on instance A with instance B's announcement, whichever nodes they use", async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.whenListening(), b.whenListening()]);
    for (let i = 0; i < 5; i++) {
      const sid = sessionId();
      const woken = a.waitForGrant(sid, 'acme', 20_000);
      await b.grantWritten(sid, 'acme');
      expect(await woken).toBe(true);
    }
    expect(await a.waitForGrant(sessionId(), 'acme', 50)).toBe(false);
  });

  it('reaches a plain subscriber on every master with the digest only', async () => {
    const b = instance();
    await b.whenListening();
    const masters = cluster.masters();
    try {
      const messages = await Promise.all(masters.map((m) => nextMessage(m, b.channel)));
      const sid = sessionId();
      await b.grantWritten(sid, 'acme');
      const payloads = await Promise.all(messages.map((next) => next()));
      expect(payloads).toEqual(masters.map(() => grantSignal(sid, 'acme')));
      for (const p of payloads) expect(p).not.toContain(sid);
    } finally {
      for (const m of masters) m.disconnect();
    }
  });
});
