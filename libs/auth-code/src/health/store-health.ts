import { randomBytes } from 'node:crypto';
import { MemoryTokenStore } from '../stores/memory-token.store';
import { describePostgresError } from '../stores/postgres-connection';
import { PostgresTokenStore } from '../stores/postgres-token.store';
import type { Cluster } from 'ioredis';
import type { RedisClient } from '../stores/redis-connection';
import { describeRedisError } from '../stores/redis-connection';
import { RedisTokenStore } from '../stores/redis-token.store';
import type { TokenStore } from '../stores/token-store.interface';
import { HealthDeadlineError, withinDeadline, type AuthCodeHealthDetail } from './health-result';

/** The kind of store a check talked to. */
export type StoreKind = 'memory' | 'redis' | 'redis-cluster' | 'postgres' | 'custom';

/** A custom store may answer health checks itself. */
interface Pingable {
  ping(): Promise<unknown>;
}

/**
 * One round trip to the token store, bounded by `timeoutMs`: the memory store is always up; Redis
 * answers `PING`; Redis Cluster, `PING` on every master; PostgreSQL, `SELECT 1`; a custom store
 * its own `ping()` when it has one, else a throwaway login transaction written and taken back.
 */
export async function checkStoreHealth(
  store: TokenStore,
  timeoutMs: number,
): Promise<AuthCodeHealthDetail> {
  const kind = storeKind(store);
  try {
    await withinDeadline(timeoutMs, () => roundTrip(store));
    return { status: 'up', store: kind };
  } catch (err) {
    return { status: 'down', store: kind, reason: reasonOf(kind, err) };
  }
}

function storeKind(store: TokenStore): StoreKind {
  if (store instanceof MemoryTokenStore) return 'memory';
  if (store instanceof RedisTokenStore) return store.client.isCluster ? 'redis-cluster' : 'redis';
  if (store instanceof PostgresTokenStore) return 'postgres';
  return 'custom';
}

async function roundTrip(store: TokenStore): Promise<void> {
  if (store instanceof MemoryTokenStore) return;
  if (store instanceof RedisTokenStore) return pingRedis(store.client);
  if (store instanceof PostgresTokenStore) {
    await store.pool.query('SELECT 1');
    return;
  }
  if (typeof (store as Partial<Pingable>).ping === 'function') {
    await (store as unknown as Pingable).ping();
    return;
  }
  const state = `health-${randomBytes(16).toString('base64url')}`;
  const tx = { state, provider: '', browserId: '', returnTo: '/', createdAt: Date.now() };
  await store.putTransaction(tx, 10_000);
  if ((await store.takeTransaction(state))?.state !== state) throw new Error('lost write');
}

async function pingRedis(client: RedisClient): Promise<void> {
  if (!client.isCluster) {
    await client.ping();
    return;
  }
  // Every master serves a share of the slots: one that does not answer loses sessions.
  const masters = (client as Cluster).nodes('master');
  if (masters.length === 0) throw new Error('no master');
  await Promise.all(masters.map((node) => node.ping()));
}

function reasonOf(kind: StoreKind, err: unknown): string {
  if (err instanceof HealthDeadlineError) return 'timeout';
  if (kind === 'redis' || kind === 'redis-cluster') return describeRedisError(err);
  if (kind === 'postgres') {
    // The code alone (ECONNREFUSED, 57P01): a server message may name the database user.
    const code = (err as { code?: unknown })?.code;
    return typeof code === 'string' && /^[0-9A-Z_]{1,32}$/.test(code)
      ? code
      : describePostgresError(err);
  }
  return (err as Error)?.name ?? 'error';
}
