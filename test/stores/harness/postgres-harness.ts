import {
  KeyRing,
  migratePostgresTokenStore,
  PostgresTokenLock,
  PostgresTokenStore,
} from 'nestjs-auth-code';
import { PostgresDatabase } from '../../support/postgres-database';
import {
  keptLines,
  sha,
  type RecordRef,
  type StoreHarness,
  type StoreInstance,
} from './store-harness';

const TABLES = ['sessions', 'grants', 'transactions', 'locks', 'session_index', 'claims'];

/** The PostgreSQL store in a database of its own, created for the run and dropped after it. */
export class PostgresHarness implements StoreHarness {
  readonly name = 'PostgreSQL';
  readonly shared = true;
  readonly sealsSessions = true;
  readonly log = keptLines();
  private readonly opened: Array<{ close(): Promise<void> }> = [];
  private db?: PostgresDatabase;
  /** How long creating and migrating the database took, ms. */
  startupMs = 0;

  async start(): Promise<void> {
    const started = Date.now();
    this.db = await PostgresDatabase.create();
    await migratePostgresTokenStore(this.db.url, { logger: this.log });
    this.startupMs = Date.now() - started;
  }

  open(cipher: KeyRing): StoreInstance {
    // Each instance its own pool, as another app process would have.
    const store = new PostgresTokenStore({ postgres: this.db!.url, cipher, logger: this.log });
    const lock = new PostgresTokenLock({ postgres: this.db!.url, logger: this.log });
    this.opened.push(store, lock);
    return { store, lock };
  }

  async dump(): Promise<string> {
    return this.db!.withClient(async (c) => {
      const parts: string[] = [];
      for (const table of TABLES) {
        const { rows } = await c.query(`SELECT * FROM auth_code.${table}`);
        parts.push(...rows.map((row) => JSON.stringify(row)));
      }
      return parts.join('\n');
    });
  }

  async readSealed(ref: RecordRef): Promise<string | undefined> {
    const { rows } = await this.db!.withClient((c) =>
      ref.kind === 'session'
        ? c.query('SELECT record FROM auth_code.sessions WHERE id = $1', [sha(ref.sessionId)])
        : c.query('SELECT record FROM auth_code.grants WHERE owner_key = $1 AND provider = $2', [
            sha(ref.sessionId),
            ref.provider,
          ]),
    );
    return rows[0]?.record;
  }

  async writeSealed(ref: RecordRef, sealed: string): Promise<void> {
    await this.db!.withClient((c) =>
      ref.kind === 'session'
        ? c.query('UPDATE auth_code.sessions SET record = $2 WHERE id = $1', [
            sha(ref.sessionId),
            sealed,
          ])
        : // an upsert: also plants a record copied from another session
          c.query(
            `INSERT INTO auth_code.grants (owner_key, provider, version, record, updated_at, expires_at)
             VALUES ($1, $2, 1, $3, now(), now() + interval '1 hour')
             ON CONFLICT (owner_key, provider) DO UPDATE SET record = EXCLUDED.record`,
            [sha(ref.sessionId), ref.provider, sealed],
          ),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((part) => part.close()));
    await this.db?.drop();
  }
}
