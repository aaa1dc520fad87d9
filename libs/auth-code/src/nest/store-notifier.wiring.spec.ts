import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import type { TokenLogger } from '../core/token-logger';
import { ConfigurationError } from '../errors/auth-code.errors';
import { MemoryStoreNotifier } from '../stores/memory-store.notifier';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { PostgresStoreNotifier } from '../stores/postgres-store.notifier';
import { PostgresTokenStore } from '../stores/postgres-token.store';
import { RedisStoreNotifier } from '../stores/redis-store.notifier';
import { RedisTokenStore } from '../stores/redis-token.store';
import type { TokenStore } from '../stores/token-store.interface';
import { KeyRing } from '../tokens/crypto/key-ring';
import { optionsFromEnvironment } from './config/options-from-environment';
import { validateAuthCodeEnvironment } from './config/validate-environment';
import type { ResolvedAuthCodeOptions } from './options/auth-code.options';
import { createStoreNotifier } from './token-store.wiring';

const options = (o: Partial<ResolvedAuthCodeOptions>) => o as ResolvedAuthCodeOptions;
const logger: TokenLogger = { warn: () => undefined };

describe('createStoreNotifier', () => {
  const opened: Array<{ close(): unknown }> = [];
  afterAll(async () => {
    for (const part of opened.splice(0)) await part.close();
  });

  it('gives the memory store an in-process notifier, none when switched off, a given one as it is', async () => {
    const store = new MemoryTokenStore(KeyRing.ephemeral(), { sweepIntervalMs: 0 });
    opened.push(store);
    expect(createStoreNotifier(options({}), store, logger)).toBeInstanceOf(MemoryStoreNotifier);
    expect(createStoreNotifier(options({ storeNotify: 'off' }), store, logger)).toBeUndefined();
    const own = new MemoryStoreNotifier();
    expect(createStoreNotifier(options({ notifier: own }), store, logger)).toBe(own);
  });

  it('gives a store of your own no notifier (its waiters poll) unless you give one', () => {
    const custom = { takeTransaction: () => undefined } as unknown as TokenStore;
    expect(createStoreNotifier(options({}), custom, logger)).toBeUndefined();
  });

  it("subscribes a Redis store's notifier on a connection of its own, on the channel of the key prefix", async () => {
    const prefix = `wiring-notifier:${randomUUID().slice(0, 8)}:`;
    const store = new RedisTokenStore({
      redis: 'redis://127.0.0.1:6379',
      cipher: KeyRing.ephemeral(),
      keyPrefix: prefix,
    });
    const notifier = createStoreNotifier(options({ storeKeyPrefix: prefix }), store, logger);
    opened.push(store);
    expect(notifier).toBeInstanceOf(RedisStoreNotifier);
    const redis = notifier as RedisStoreNotifier;
    expect(redis.channel).toBe(`${prefix}grant-written`);
    await redis.whenListening();
    const raw = new Redis('redis://127.0.0.1:6379');
    try {
      const subscribers = async () =>
        ((await raw.pubsub('NUMSUB', redis.channel)) as [string, number])[1];
      expect(await subscribers()).toBe(1);
      expect(await store.client.ping()).toBe('PONG');
      await redis.close();
      expect(await subscribers()).toBe(0);
    } finally {
      raw.disconnect();
    }
  });

  it("listens for a PostgreSQL store on the channel of its schema and table prefix, with the store's pool settings", async () => {
    const db = await PostgresDatabase.create();
    try {
      const store = new PostgresTokenStore({
        postgres: db.url,
        cipher: KeyRing.ephemeral(),
        schema: 'wired',
        tablePrefix: 'app_',
      });
      const o = options({ storeSchema: 'wired', storeTablePrefix: 'app_' });
      const notifier = createStoreNotifier(o, store, logger) as PostgresStoreNotifier;
      expect(notifier).toBeInstanceOf(PostgresStoreNotifier);
      expect(notifier.channel).toBe('wired.app_grant_written');
      await notifier.whenListening();
      const woken = notifier.waitForGrant('s', 'acme', 20_000);
      await notifier.grantWritten('s', 'acme');
      expect(await woken).toBe(true);
      await notifier.close();
      expect(store.pool.ended).toBe(false);
      await store.close();
    } finally {
      await db.drop();
    }
  });
});

describe('AUTH_STORE_NOTIFY', () => {
  it('takes on and off into the storeNotify option', () => {
    for (const value of ['on', 'off'] as const) {
      const env = validateAuthCodeEnvironment({ AUTH_STORE_NOTIFY: value });
      expect(optionsFromEnvironment(env, () => undefined).storeNotify).toBe(value);
    }
    const unset = validateAuthCodeEnvironment({});
    expect(optionsFromEnvironment(unset, () => undefined).storeNotify).toBeUndefined();
  });

  it('refuses anything else, naming the variable', () => {
    let error: unknown;
    try {
      validateAuthCodeEnvironment({ AUTH_STORE_NOTIFY: 'sometimes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('AUTH_STORE_NOTIFY');
  });
});
