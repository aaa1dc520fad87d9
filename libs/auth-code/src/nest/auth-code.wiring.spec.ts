import type { FactoryProvider } from '@nestjs/common';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { rejectionOf } from '../../../../test/support/rejection';
import { ConfigurationError, ServiceUnavailableError } from '../errors/auth-code.errors';
import { KeyRing } from '../tokens/crypto/key-ring';
import { MemoryTokenLock } from '../stores/memory-token.lock';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { PostgresTokenLock } from '../stores/postgres-token.lock';
import { PostgresTokenStore } from '../stores/postgres-token.store';
import { RedisTokenLock } from '../stores/redis-token.lock';
import { RedisTokenStore } from '../stores/redis-token.store';
import { TokenLock, TokenStore } from '../stores/token-store.interface';
import { AUTH_CODE_WIRING } from './auth-code.wiring';
import type { ResolvedAuthCodeOptions } from './options/auth-code.options';

function factoryOf<T>(token: symbol): (...deps: unknown[]) => T {
  const provider = AUTH_CODE_WIRING.find(
    (p): p is FactoryProvider => typeof p === 'object' && 'provide' in p && p.provide === token,
  );
  return provider!.useFactory as (...deps: unknown[]) => T;
}

const makeStore = factoryOf<Promise<TokenStore>>(TokenStore);
const makeLock = factoryOf<TokenLock>(TokenLock);
const options = (o: Partial<ResolvedAuthCodeOptions>) => o as ResolvedAuthCodeOptions;

describe('AUTH_CODE_WIRING store and lock wiring', () => {
  const opened: Array<{ close(): unknown }> = [];
  afterAll(async () => {
    for (const part of opened) await part.close();
  });

  it('gives the Redis lock the Redis store’s own connection, closed once through the store', async () => {
    const o = options({ store: 'redis://127.0.0.1:6379', storeKeyPrefix: 'wiring-test:' });
    const store = (await makeStore(o, KeyRing.ephemeral())) as RedisTokenStore;
    const lock = makeLock(o, store) as RedisTokenLock;
    opened.push(lock, store);
    expect(store).toBeInstanceOf(RedisTokenStore);
    expect(lock).toBeInstanceOf(RedisTokenLock);
    expect(lock.client).toBe(store.client);
    expect(store.client.listenerCount('error')).toBe(1);

    await lock.close();
    const owner = await lock.acquire('k', 1000);
    expect(owner).toEqual(expect.any(String));
    await lock.release('k', owner!);
    const ended = new Promise((resolve) => store.client.once('end', resolve));
    await store.close();
    await ended;
    expect(store.client.status).toBe('end');
  });

  it('makes a redis-cluster:// URL a Redis store on a Cluster client, its lock on the same client', async () => {
    // nothing listens there: the wiring alone is checked (the contract suite runs a real cluster)
    const o = options({ store: 'redis-cluster://127.0.0.1:1,127.0.0.1:2' });
    const store = (await makeStore(o, KeyRing.ephemeral())) as RedisTokenStore;
    const lock = makeLock(o, store) as RedisTokenLock;
    opened.push(store);
    expect(store).toBeInstanceOf(RedisTokenStore);
    expect(store.client.isCluster).toBe(true);
    expect(lock).toBeInstanceOf(RedisTokenLock);
    expect(lock.client).toBe(store.client);
  });

  it('refuses a Redis Cluster key prefix with a hash tag in it, at start-up', async () => {
    const o = options({ store: 'redis-cluster://127.0.0.1:1', storeKeyPrefix: 'app{1}:' });
    const err = await rejectionOf(makeStore(o, KeyRing.ephemeral()), ConfigurationError);
    expect(err.message).toContain('must not contain "{" or "}" with Redis Cluster');
  });

  it('uses a memory lock with the memory store, and a given lock as it is', async () => {
    const store = await makeStore(options({}), KeyRing.ephemeral());
    expect(store).toBeInstanceOf(MemoryTokenStore);
    expect(makeLock(options({}), store)).toBeInstanceOf(MemoryTokenLock);
    const own = new MemoryTokenLock();
    expect(makeLock(options({ lock: own }), store)).toBe(own);
    (store as MemoryTokenStore).close();
  });

  describe('PostgreSQL', () => {
    let db: PostgresDatabase;
    beforeAll(async () => {
      db = await PostgresDatabase.create();
    });
    afterAll(async () => {
      for (const part of opened.splice(0)) await part.close();
      await db.drop();
    });
    const tablesIn = (schema: string) =>
      db.withClient(async (c) => {
        const { rows } = await c.query<{ table_name: string }>(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
          [schema],
        );
        return rows.map((r) => r.table_name);
      });

    it('leaves the schema alone with storeMigrate off, and in production by default', async () => {
      for (const o of [
        options({ store: db.url, storeMigrate: 'off', storeSchema: 'off_schema' }),
        options({ store: db.url, environment: 'production', storeSchema: 'prod_schema' }),
      ]) {
        const store = (await makeStore(o, KeyRing.ephemeral())) as PostgresTokenStore;
        opened.push(store);
        const err = await rejectionOf(store.getSession('x'), ServiceUnavailableError);
        expect(err.message).toContain(
          `the store's tables (${o.storeSchema}.sessions, …) do not exist`,
        );
      }
      expect(await tablesIn('off_schema')).toEqual([]);
      expect(await tablesIn('prod_schema')).toEqual([]);
    });

    it('migrates at start-up by default outside production, into the schema and prefix it is given, and shares its pool with the lock', async () => {
      const o = options({
        store: db.url.replace('postgres://', 'postgresql://'),
        storeSchema: 'wiring',
        storeTablePrefix: 'app_',
        environment: 'development',
      });
      const store = (await makeStore(o, KeyRing.ephemeral())) as PostgresTokenStore;
      const lock = makeLock(o, store) as PostgresTokenLock;
      opened.push(store);
      expect(store).toBeInstanceOf(PostgresTokenStore);
      expect(lock).toBeInstanceOf(PostgresTokenLock);
      expect(lock.pool).toBe(store.pool);
      expect(await tablesIn('wiring')).toEqual([
        'app_claims',
        'app_grants',
        'app_locks',
        'app_schema_migrations',
        'app_session_index',
        'app_sessions',
        'app_transactions',
      ]);
      const owner = await lock.acquire('k', 1000);
      expect(owner).toEqual(expect.any(String));
      await lock.close(); // the lock does not own the pool
      expect(store.pool.ended).toBe(false);
      await store.close();
      expect(store.pool.ended).toBe(true);
    });

    it('stops start-up with store_unavailable when auto-migration cannot reach PostgreSQL', async () => {
      const o = options({ store: 'postgres://postgres@127.0.0.1:1/none', storeMigrate: 'auto' });
      const err = await rejectionOf(makeStore(o, KeyRing.ephemeral()), ServiceUnavailableError);
      expect(err.code).toBe('store_unavailable');
      expect(err.message).toMatch(/^The session store is unavailable \(PostgreSQL: .+\)$/);
    });

    it('refuses a schema name that would need quoting', async () => {
      const o = options({ store: db.url, storeSchema: 'Bad"; DROP' });
      const err = await rejectionOf(makeStore(o, KeyRing.ephemeral()), ConfigurationError);
      expect(err.message).toContain('storeSchema "Bad\\"; DROP" is not a usable PostgreSQL name');
    });
  });
});
