import type { KeyRing } from '../tokens/crypto/key-ring';
import { MemoryStoreNotifier } from '../stores/memory-store.notifier';
import { MemoryTokenLock } from '../stores/memory-token.lock';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { isPostgresUrl } from '../stores/postgres-connection';
import { PostgresStoreNotifier } from '../stores/postgres-store.notifier';
import { PostgresTokenLock } from '../stores/postgres-token.lock';
import { PostgresTokenStore } from '../stores/postgres-token.store';
import { RedisStoreNotifier } from '../stores/redis-store.notifier';
import { RedisTokenLock } from '../stores/redis-token.lock';
import { RedisTokenStore } from '../stores/redis-token.store';
import type { RedisClient } from '../stores/redis-connection';
import type { StoreNotifier } from '../stores/store-notifier.interface';
import type { TokenLock, TokenStore } from '../stores/token-store.interface';
import type { TokenLogger } from '../core/token-logger';
import type { ResolvedAuthCodeOptions } from './options/auth-code.options';

function isStore(v: unknown): v is TokenStore {
  return !!v && typeof v === 'object' && 'takeTransaction' in v;
}

/** Whether start-up migrates the PostgreSQL store: `storeMigrate`, else `auto` outside production. */
export function migratesAtStart(o: ResolvedAuthCodeOptions): boolean {
  const environment = o.environment ?? process.env.NODE_ENV;
  return (o.storeMigrate ?? (environment === 'production' ? 'off' : 'auto')) === 'auto';
}

/**
 * The {@link TokenStore} the options name: a store given as an object as it is; a Redis, Redis
 * Cluster or PostgreSQL URL its store (a PostgreSQL one migrated first when
 * {@link migratesAtStart}: a failure stops start-up); anything else the memory store.
 */
export async function createTokenStore(
  o: ResolvedAuthCodeOptions,
  cipher: KeyRing,
  logger: TokenLogger,
): Promise<TokenStore> {
  if (isStore(o.store)) return o.store;
  if (typeof o.store === 'string' && o.store.startsWith('redis')) {
    const store = new RedisTokenStore({
      redis: o.store,
      cipher,
      keyPrefix: o.storeKeyPrefix,
      logger,
    });
    await connectedOrLater(store.client, REDIS_READY_WAIT_MS);
    return store;
  }
  if (typeof o.store === 'string' && isPostgresUrl(o.store)) {
    const store = new PostgresTokenStore({
      postgres: o.store,
      cipher,
      schema: o.storeSchema,
      tablePrefix: o.storeTablePrefix,
      logger,
    });
    if (migratesAtStart(o)) {
      try {
        await store.migrate();
      } catch (err) {
        await store.close();
        throw err;
      }
    }
    return store;
  }
  return new MemoryTokenStore(cipher, { ...o.memoryStore, logger });
}

/** How long start-up waits for a Redis store's first connection. */
const REDIS_READY_WAIT_MS = 3000;

/**
 * Waits until the client is connected, at most `ms`: an app whose Redis is up then serves its
 * first request (and its first readiness check) from a connected store instead of answering 503
 * for the moment the connection takes; a Redis that is down does not hold start-up any longer
 * (the store reconnects in the background and answers `store_unavailable` meanwhile).
 */
function connectedOrLater(client: RedisClient, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    client.once('ready', done);
  });
}

/**
 * The {@link TokenLock} for a store: the `lock` option when given; for a Redis or PostgreSQL
 * store, a lock of the same kind on the store's own connection (one reconnect loop or pool, one
 * warning per outage; the lock does not own it, so shutdown closes it once, through the store);
 * otherwise an in-process lock.
 */
export function createTokenLock(
  o: ResolvedAuthCodeOptions,
  store: TokenStore,
  logger: TokenLogger,
): TokenLock {
  if (o.lock) return o.lock;
  if (store instanceof RedisTokenStore) {
    const keyPrefix = o.storeKeyPrefix === undefined ? undefined : `${o.storeKeyPrefix}lock:`;
    return new RedisTokenLock({ redis: store.client, keyPrefix, logger });
  }
  if (store instanceof PostgresTokenStore) {
    return new PostgresTokenLock({ postgres: store.pool, ...store.naming, logger });
  }
  return new MemoryTokenLock();
}

/**
 * The {@link StoreNotifier} for a store: the `notifier` option when given; none with
 * `storeNotify: 'off'` (waiters poll); for a Redis (or Redis Cluster) store pub/sub on a duplicate
 * of its connection, on the channel of its key prefix; for a PostgreSQL store `LISTEN`/`NOTIFY`
 * on a client with its pool's settings, on the channel of its schema and table prefix; for the
 * memory store an in-process one; none for any other store. The notifier owns its connection:
 * shutdown closes it.
 */
export function createStoreNotifier(
  o: ResolvedAuthCodeOptions,
  store: TokenStore,
  logger: TokenLogger,
): StoreNotifier | undefined {
  if (o.notifier) return o.notifier;
  if (o.storeNotify === 'off') return undefined;
  if (store instanceof RedisTokenStore) {
    return new RedisStoreNotifier({ redis: store.client, keyPrefix: o.storeKeyPrefix, logger });
  }
  if (store instanceof PostgresTokenStore) {
    return new PostgresStoreNotifier({ postgres: store.pool, ...store.naming, logger });
  }
  if (store instanceof MemoryTokenStore) return new MemoryStoreNotifier();
  return undefined;
}
