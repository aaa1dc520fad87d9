import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresDatabase } from '../../../../test/support/postgres-database';
import { rejectionOf } from '../../../../test/support/rejection';
import { TcpProxy } from '../../../../test/support/tcp-proxy';
import type { TokenLogger } from '../core/token-logger';
import { ConfigurationError, ServiceUnavailableError } from '../errors/auth-code.errors';
import { PostgresStoreNotifier, postgresNotifyChannel } from './postgres-store.notifier';
import { grantSignal } from './store-notifier.interface';

const sessionId = () => randomBytes(32).toString('base64url');

describe('PostgresStoreNotifier (LISTEN/NOTIFY on a throwaway database)', () => {
  let db: PostgresDatabase;
  const open: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    db = await PostgresDatabase.create();
  });
  afterEach(async () => {
    for (const part of open.splice(0)) await part.close();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** One app instance: its own pool (as its store would have) and notifier. */
  function instance(naming: { schema?: string; tablePrefix?: string } = {}): PostgresStoreNotifier {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    const notifier = new PostgresStoreNotifier({ postgres: pool, ...naming });
    open.push(notifier, { close: () => pool.end() });
    return notifier;
  }

  it("wakes a wait on instance A with instance B's announcement, long before its timeout", async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const woken = a.waitForGrant(sid, 'acme', 20_000);
    await b.grantWritten(sid, 'acme');
    // true: woken by the notification (a timeout resolves false, and would take 20 s)
    expect(await woken).toBe(true);
  });

  it('resolves false when nothing is announced, and when another grant is', async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const quiet = a.waitForGrant(sid, 'acme', 50);
    const otherGrant = a.waitForGrant(sid, 'acme', 300);
    await b.grantWritten(sid, 'other');
    await b.grantWritten(sessionId(), 'acme');
    expect(await Promise.all([quiet, otherGrant])).toEqual([false, false]);
  });

  it('notifies the digest of owner and provider on the channel of its schema and prefix, never the session id', async () => {
    const b = instance({ schema: 'auth_code', tablePrefix: 'app_' });
    expect(b.channel).toBe('auth_code.app_grant_written');
    const payload = await db.withClient(async (raw) => {
      await raw.query(`LISTEN "${b.channel}"`);
      const received = new Promise<string | undefined>((resolve) =>
        raw.once('notification', (m) => resolve(m.payload)),
      );
      const sid = sessionId();
      await b.grantWritten(sid, 'acme');
      return { sid, payload: await received };
    });
    expect(payload.payload).toBe(grantSignal(payload.sid, 'acme'));
    expect(payload.payload).not.toContain(payload.sid);
  });

  it('keeps stores with different schemas or prefixes apart', async () => {
    const a = instance({ tablePrefix: 'one_' });
    const b = instance({ tablePrefix: 'two_' });
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const wait = a.waitForGrant(sid, 'acme', 300);
    await b.grantWritten(sid, 'acme');
    expect(await wait).toBe(false);
  });

  it('derives channel names PostgreSQL accepts from the longest namings, and refuses bad ones', async () => {
    const longest = { schema: 'a'.repeat(40), tablePrefix: 'b'.repeat(30) };
    const long = postgresNotifyChannel(longest);
    const other = postgresNotifyChannel({ schema: 'a'.repeat(40), tablePrefix: 'b'.repeat(29) });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(other);
    const [a, b] = [instance(longest), instance(longest)];
    await Promise.all([a.whenListening(), b.whenListening()]);
    const sid = sessionId();
    const woken = a.waitForGrant(sid, 'acme', 20_000);
    await b.grantWritten(sid, 'acme');
    expect(await woken).toBe(true);
    expect(postgresNotifyChannel()).toBe('auth_code.grant_written');
    expect(() => postgresNotifyChannel({ schema: 'x"; drop' })).toThrow(ConfigurationError);
  });

  it('listens on one client of its own, outside the pool, closed with the notifier', async () => {
    const a = instance({ tablePrefix: 'own_' });
    await a.whenListening();
    const listeners = () =>
      db.withClient(async (raw) => {
        const { rows } = await raw.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query = $2`,
          [db.name, `LISTEN "${a.channel}"`],
        );
        return rows[0].n;
      });
    expect(await listeners()).toBe(1);
    const pending = a.waitForGrant(sessionId(), 'acme', 20_000);
    await a.close();
    expect(await pending).toBe(false);
    expect(await listeners()).toBe(0);
  });
});

describe('PostgresStoreNotifier when PostgreSQL goes away (TCP proxy)', () => {
  let db: PostgresDatabase;
  let proxy: TcpProxy;
  let pool: Pool;
  let notifier: PostgresStoreNotifier;
  const lines: string[] = [];
  const logger: TokenLogger = { warn: (m) => lines.push(m) };

  beforeAll(async () => {
    db = await PostgresDatabase.create();
    proxy = await TcpProxy.start(5432);
    pool = new Pool({ connectionString: db.urlVia(proxy.port), connectionTimeoutMillis: 500 });
    notifier = new PostgresStoreNotifier({ postgres: pool, maxReconnectDelayMs: 100, logger });
    await notifier.whenListening();
  });
  afterAll(async () => {
    await notifier.close();
    await pool.end();
    await proxy.stop();
    await db.drop();
  });

  it('lets waits time out (false, no throw) while down, refuses announcements with store_unavailable, and listens again once back', async () => {
    const sid = sessionId();
    await proxy.down();
    expect(await notifier.waitForGrant(sid, 'acme', 200)).toBe(false);
    expect(notifier.listening).toBe(false);
    const err = await rejectionOf(notifier.grantWritten(sid, 'acme'), ServiceUnavailableError);
    expect(err.code).toBe('store_unavailable');
    expect(lines.some((l) => l.startsWith('PostgreSQL grant notifications lost ('))).toBe(true);

    await proxy.forward();
    await notifier.whenListening();
    const woken = notifier.waitForGrant(sid, 'acme', 20_000);
    await notifier.grantWritten(sid, 'acme');
    expect(await woken).toBe(true);
    expect(lines).toContain('PostgreSQL grant notifications restored');
    expect(lines.join('\n')).not.toContain(sid);
  });
});
