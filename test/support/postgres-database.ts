import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL (trust auth); tests only ever work in databases they create. */
const SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * A throwaway database `auth_code_test_<random>` on the local PostgreSQL, created for one test
 * file and dropped after it (`WITH (FORCE)`: connections a failed test left open do not block it).
 * The shared `test` database is never touched.
 */
export class PostgresDatabase {
  private constructor(readonly name: string) {}

  /** Creates a fresh, empty database. */
  static async create(): Promise<PostgresDatabase> {
    const name = `auth_code_test_${randomBytes(6).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    return new PostgresDatabase(name);
  }

  /** `postgres://postgres@127.0.0.1:5432/<name>`, as `AUTH_STORE` takes it. */
  get url(): string {
    return `${SERVER}/${this.name}`;
  }

  /** The URL through another host:port (a proxy in front of the server). */
  urlVia(port: number): string {
    return `postgres://postgres@127.0.0.1:${port}/${this.name}`;
  }

  /** Runs `fn` with a plain client connected to this database (raw reads, tampering). */
  async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Drops the database. */
  async drop(): Promise<void> {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }
}

async function admin(fn: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
