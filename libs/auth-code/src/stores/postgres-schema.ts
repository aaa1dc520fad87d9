import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/** Where the PostgreSQL store's tables live. */
export interface PostgresStoreNaming {
  /** Schema of the tables (created by the migration when missing). @default 'auth_code' */
  schema?: string;
  /** Prefix of every table and index name, e.g. `myapp_`. @default '' */
  tablePrefix?: string;
}

/** The quoted, schema-qualified names of the store's tables. */
export interface PostgresStoreTables {
  /** The schema, unquoted. */
  schema: string;
  /** The table prefix, unquoted. */
  prefix: string;
  sessions: string;
  grants: string;
  transactions: string;
  locks: string;
  /** Sessions by lookup key (back-channel logout). */
  sessionIndex: string;
  /** Keys recorded once (replay memory of logout tokens). */
  claims: string;
  migrations: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;
const TABLE_PREFIX = /^([a-z_][a-z0-9_]{0,29})?$/;

/**
 * Resolves and checks the naming: only lowercase letters, digits and `_` (so names never need
 * escaping and stay within PostgreSQL's 63-byte limit with every suffix). Anything else is a
 * {@link ConfigurationError} at start-up.
 */
export function postgresStoreTables(naming: PostgresStoreNaming = {}): PostgresStoreTables {
  const schema = naming.schema ?? 'auth_code';
  const prefix = naming.tablePrefix ?? '';
  if (!SCHEMA_NAME.test(schema)) throw badName('storeSchema', schema, 40);
  if (!TABLE_PREFIX.test(prefix)) throw badName('storeTablePrefix', prefix, 30);
  const table = (name: string) => `"${schema}"."${prefix}${name}"`;
  return {
    schema,
    prefix,
    sessions: table('sessions'),
    grants: table('grants'),
    transactions: table('transactions'),
    locks: table('locks'),
    sessionIndex: table('session_index'),
    claims: table('claims'),
    migrations: table('schema_migrations'),
  };
}

/** One step of the store's schema, applied once, in order, inside one transaction. */
export interface PostgresMigration {
  /** Version reached after this step (1, 2, …). */
  version: number;
  /** What the step does. */
  description: string;
  /** The SQL of the step for the given tables. */
  sql(t: PostgresStoreTables): string;
}

/**
 * Every migration of the store, oldest first. Secret values live only in the `record` columns, as
 * key-ring ciphertext; row keys are SHA-256 digests of session ids and states, never the values.
 * The other columns (expiries, versions, provider ids, upkeep times) are not secret: they let
 * PostgreSQL expire rows, compare-and-set grants and find grants whose upkeep is due; the owner id
 * upkeep hands back (`owner_ref`, migration 3) is key-ring ciphertext like the records.
 */
export const POSTGRES_STORE_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'sessions, grants, login transactions and locks',
    sql: (t) => `
CREATE TABLE IF NOT EXISTS ${t.sessions} (
  id          text PRIMARY KEY,       -- SHA-256 (base64url) of the session id
  record      text NOT NULL,          -- the SessionRecord, encrypted with the key ring
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${t.prefix}sessions_exp" ON ${t.sessions} (expires_at);

CREATE TABLE IF NOT EXISTS ${t.grants} (
  owner_key          text NOT NULL,   -- SHA-256 of the owning session id
  provider           text NOT NULL,
  version            bigint NOT NULL,
  record             text NOT NULL,   -- the StoredGrant (tokens), encrypted with the key ring
  access_expires_at  timestamptz,     -- when the access token expires: not secret, for upkeep
  updated_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  PRIMARY KEY (owner_key, provider)
);
CREATE INDEX IF NOT EXISTS "${t.prefix}grants_exp" ON ${t.grants} (expires_at);
CREATE INDEX IF NOT EXISTS "${t.prefix}grants_due" ON ${t.grants} (access_expires_at);

CREATE TABLE IF NOT EXISTS ${t.transactions} (
  id          text PRIMARY KEY,       -- SHA-256 of the state
  record      text NOT NULL,          -- the LoginTransaction (PKCE verifier, nonce), encrypted
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${t.prefix}transactions_exp" ON ${t.transactions} (expires_at);

CREATE TABLE IF NOT EXISTS ${t.locks} (
  key         text PRIMARY KEY,       -- e.g. refresh:{<session digest>}:<provider>
  owner       text NOT NULL,          -- random per acquisition: only the owner releases
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${t.prefix}locks_exp" ON ${t.locks} (expires_at);
`,
  },
  {
    version: 2,
    description: 'session index and replay memory (back-channel logout)',
    sql: (t) => `
CREATE TABLE IF NOT EXISTS ${t.sessionIndex} (
  key          text NOT NULL,         -- SHA-256 of a lookup key (a provider's sid or sub)
  session_key  text NOT NULL,         -- SHA-256 of the session id (the sessions row id)
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (key, session_key)
);
CREATE INDEX IF NOT EXISTS "${t.prefix}session_index_exp" ON ${t.sessionIndex} (expires_at);

CREATE TABLE IF NOT EXISTS ${t.claims} (
  key         text PRIMARY KEY,       -- SHA-256 of a value seen once (a logout token's jti)
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS "${t.prefix}claims_exp" ON ${t.claims} (expires_at);
`,
  },
  {
    version: 3,
    description: 'upkeep index of grants (owner id, upkeep time)',
    sql: (t) => `
ALTER TABLE ${t.grants}
  ADD COLUMN IF NOT EXISTS owner_ref text,        -- the owner id (session or connections id), encrypted with the key ring
  ADD COLUMN IF NOT EXISTS upkeep_at timestamptz; -- when background upkeep looks at the grant: not secret
CREATE INDEX IF NOT EXISTS "${t.prefix}grants_upkeep" ON ${t.grants} (upkeep_at)
  WHERE upkeep_at IS NOT NULL;
`,
  },
];

/** The table that records which migrations were applied. */
export function migrationsTableSql(t: PostgresStoreTables): string {
  return `CREATE TABLE IF NOT EXISTS ${t.migrations} (
  version integer PRIMARY KEY,
  description text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;
}

/**
 * The whole schema as one SQL script (every migration, in order, each recorded as applied), for
 * your own migration tool; {@link migratePostgresTokenStore} run later finds it current.
 */
export function postgresTokenStoreSql(naming: PostgresStoreNaming = {}): string {
  const t = postgresStoreTables(naming);
  const steps = POSTGRES_STORE_MIGRATIONS.map(
    (m) =>
      `-- ${m.version}: ${m.description}${m.sql(t)}INSERT INTO ${t.migrations} (version, description) VALUES (${m.version}, '${m.description}') ON CONFLICT DO NOTHING;`,
  );
  return [`CREATE SCHEMA IF NOT EXISTS "${t.schema}";`, migrationsTableSql(t), ...steps].join('\n');
}

function badName(option: string, value: string, max: number): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    operation: 'config',
    message: Messages.postgresIdentifierInvalid(option, value, max),
  });
}
