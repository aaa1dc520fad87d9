import { randomBytes } from 'node:crypto';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { rejectionOf } from '../../../../test/support/rejection';
import { TcpProxy } from '../../../../test/support/tcp-proxy';
import { ServiceUnavailableError } from '../errors/auth-code.errors';
import { KeyRing } from '../tokens/crypto/key-ring';
import type { TokenLogger } from '../core/token-logger';
import { migratePostgresTokenStore } from './postgres-migrate';
import { PostgresTokenLock } from './postgres-token.lock';
import { PostgresTokenStore } from './postgres-token.store';
import type { SessionRecord } from './token-store.interface';

const profile = { provider: 'acme', id: 'user-1' };
const session = (id: string): SessionRecord => ({ id, user: profile, providers: [], createdAt: 1 });
const failure = (p: Promise<unknown>) => rejectionOf(p, ServiceUnavailableError);

/**
 * PostgreSQL going away, through a TCP proxy in front of the shared server (which keeps running
 * for everyone else): refused connections, a server that accepts and never answers, and back.
 */
describe('PostgreSQL outage (through a TCP proxy)', () => {
  let db: PostgresDatabase;
  let proxy: TcpProxy;
  let store: PostgresTokenStore;
  let lock: PostgresTokenLock;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;

  beforeAll(async () => {
    db = await PostgresDatabase.create();
    await migratePostgresTokenStore(db.url, { logger });
    proxy = await TcpProxy.start(5432);
    // Short timeouts: a call that waited for a hung server instead of failing would make the
    // test time out (the bound itself is the pool's, not measured here).
    store = new PostgresTokenStore({
      postgres: db.urlVia(proxy.port),
      cipher: KeyRing.ephemeral(),
      connectTimeoutMs: 300,
      queryTimeoutMs: 300,
      logger,
    });
    lock = new PostgresTokenLock({ postgres: store.pool, logger });
  });
  afterAll(async () => {
    await store.close();
    await proxy.stop();
    await db.drop();
  });

  it('fails every call with store_unavailable while PostgreSQL refuses connections, then recovers by itself', async () => {
    const sid = randomBytes(32).toString('base64url');
    await store.setSession(session(sid), 60_000);
    await proxy.down();

    const err = await failure(store.getSession(sid));
    expect(err.code).toBe('store_unavailable');
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/^The session store is unavailable \(PostgreSQL: .+\)$/);
    await failure(store.setSession(session(sid), 60_000));
    await failure(
      store.compareAndSetGrant(sid, 'acme', { tokenSet: {} as never, profile }, 0, 1000),
    );
    await failure(store.takeTransaction('state'));
    await failure(store.deleteSession(sid));
    await failure(store.claimDueGrants(Date.now(), 10, 1000));
    await failure(store.rescheduleUpkeep(sid, 'acme', Date.now()));
    await failure(lock.acquire('k', 1000));
    await failure(store.cleanup());
    expect(count('PostgreSQL token store failed')).toBe(1);

    await proxy.forward();
    // nothing lost: the data is PostgreSQL's; the pool opens new connections
    expect(await store.getSession(sid)).toEqual(session(sid));
    expect(await lock.acquire('k', 1000)).toEqual(expect.any(String));
    expect(count('works again')).toBe(1);
  });

  it('fails with store_unavailable when PostgreSQL accepts connections and never answers', async () => {
    await proxy.blackhole();
    await failure(store.getSession('x'));
    await failure(lock.acquire('k2', 1000));
    await proxy.forward();
    expect(await store.getSession('x')).toBeUndefined();
  });

  it('drops connections PostgreSQL cut while idle, without crashing, and serves the next call', async () => {
    const sid = randomBytes(32).toString('base64url');
    await Promise.all(Array.from({ length: 4 }, () => store.getSession(sid)));
    expect(store.pool.idleCount).toBeGreaterThan(0);
    await proxy.forward(); // cuts every open connection, as a server restart would
    for (let i = 0; i < 50 && store.pool.idleCount > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(store.pool.idleCount).toBe(0);
    await store.setSession(session(sid), 60_000);
    expect(await store.getSession(sid)).toEqual(session(sid));
  });
});
