import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { RedisCluster } from '../../../../test/support/redis-cluster';
import { RedisProcess, whenReady } from '../../../../test/support/redis-process';
import { TcpProxy } from '../../../../test/support/tcp-proxy';
import type { TokenLogger } from '../core/token-logger';
import { PostgresTokenStore } from '../stores/postgres-token.store';
import { RedisTokenStore } from '../stores/redis-token.store';
import { KeyRing } from '../tokens/crypto/key-ring';
import { checkStoreHealth } from './store-health';

const logger: TokenLogger = { warn: () => undefined };
const cipher = KeyRing.ephemeral();

describe('checkStoreHealth', () => {
  it('PINGs Redis: down while the server is gone, up once it is back', async () => {
    const redis = await RedisProcess.start();
    const store = new RedisTokenStore({ redis: redis.url, cipher, logger });
    try {
      await whenReady(store.client);
      expect(await checkStoreHealth(store, 1000)).toEqual({ status: 'up', store: 'redis' });
      await redis.stop();
      expect(await checkStoreHealth(store, 1000)).toEqual({
        status: 'down',
        store: 'redis',
        reason: expect.stringMatching(/^(not connected|no answer in time|ECONNREFUSED)$/),
      });
      await redis.restart();
      await whenReady(store.client);
      expect((await checkStoreHealth(store, 1000)).status).toBe('up');
    } finally {
      await store.close();
      await redis.dispose();
    }
  });

  it('PINGs every master of a Redis Cluster: one master gone is down', async () => {
    const cluster = await RedisCluster.start();
    const store = new RedisTokenStore({ redis: cluster.url, cipher, logger });
    try {
      await whenReady(store.client);
      expect(await checkStoreHealth(store, 1000)).toEqual({
        status: 'up',
        store: 'redis-cluster',
      });
      await cluster.nodes[1].stop();
      const down = await checkStoreHealth(store, 1000);
      expect(down).toMatchObject({ status: 'down', store: 'redis-cluster' });
      expect(down.reason).toEqual(expect.any(String));
    } finally {
      await store.close();
      await cluster.stop();
    }
  });

  it('runs SELECT 1 on PostgreSQL: down with the error code while it is unreachable', async () => {
    const db = await PostgresDatabase.create();
    const proxy = await TcpProxy.start(5432);
    const store = new PostgresTokenStore({
      postgres: db.urlVia(proxy.port),
      cipher,
      connectTimeoutMs: 300,
      queryTimeoutMs: 300,
      logger,
    });
    try {
      expect(await checkStoreHealth(store, 1000)).toEqual({ status: 'up', store: 'postgres' });
      await proxy.down();
      expect(await checkStoreHealth(store, 1000)).toEqual({
        status: 'down',
        store: 'postgres',
        // the pooled connection is cut first; a new one is refused
        reason: expect.stringMatching(/^(connection lost|ECONNREFUSED)$/),
      });
      expect((await checkStoreHealth(store, 1000)).reason).toBe('ECONNREFUSED');
      await proxy.blackhole();
      expect(await checkStoreHealth(store, 200)).toEqual({
        status: 'down',
        store: 'postgres',
        reason: 'timeout',
      });
      await proxy.forward();
      expect((await checkStoreHealth(store, 1000)).status).toBe('up');
    } finally {
      await store.close();
      await proxy.stop();
      await db.drop();
    }
  });
});
