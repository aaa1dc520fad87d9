import type { PostgresStoreTables } from './postgres-schema';

/** `now() + <$n> ms`: expiries are PostgreSQL's clock, the same for every instance (like Redis TTLs). */
const inMs = (n: number) => `now() + make_interval(secs => $${n}::double precision / 1000)`;
/** An epoch-ms parameter as a timestamp (NULL stays NULL). */
const epochMs = (n: number) => `to_timestamp($${n}::double precision / 1000)`;

/**
 * The store's SQL for one set of tables, built once. Every statement is a single statement, so
 * each is atomic on its own; parameters are always bound, never spliced into the text.
 */
export function postgresStatements(t: PostgresStoreTables) {
  return {
    getSession: `SELECT record FROM ${t.sessions} WHERE id = $1 AND expires_at > now()`,
    setSession: `INSERT INTO ${t.sessions} (id, record, expires_at) VALUES ($1, $2, ${inMs(3)})
      ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
    // Only while the row lives: a session a concurrent logout deleted stays deleted.
    replaceSession: `UPDATE ${t.sessions} SET record = $2, expires_at = ${inMs(3)}
      WHERE id = $1 AND expires_at > now()`,
    // One statement: the session and every grant it owns go together.
    deleteSession: `WITH grants AS (DELETE FROM ${t.grants} WHERE owner_key = $1)
      DELETE FROM ${t.sessions} WHERE id = $1`,
    getGrant: `SELECT record FROM ${t.grants}
      WHERE owner_key = $1 AND provider = $2 AND expires_at > now()`,
    // Version 0 = must not exist: insert, or take over a row that has expired (Redis: key gone).
    insertGrant: `INSERT INTO ${t.grants} AS g (owner_key, provider, version, record,
        access_expires_at, updated_at, expires_at, upkeep_at, owner_ref)
      VALUES ($1, $2, 1, $3, ${epochMs(4)}, now(), ${inMs(5)}, ${epochMs(6)}, $7)
      ON CONFLICT (owner_key, provider) DO UPDATE SET version = 1, record = EXCLUDED.record,
        access_expires_at = EXCLUDED.access_expires_at, updated_at = EXCLUDED.updated_at,
        expires_at = EXCLUDED.expires_at, upkeep_at = EXCLUDED.upkeep_at,
        owner_ref = EXCLUDED.owner_ref
      WHERE g.expires_at <= now()`,
    // Version n: the row lock makes concurrent writers queue; each re-checks the version after
    // the one before it committed, so exactly one of them matches.
    updateGrant: `UPDATE ${t.grants} SET version = $3 + 1, record = $4,
        access_expires_at = ${epochMs(5)}, updated_at = now(), expires_at = ${inMs(6)},
        upkeep_at = ${epochMs(7)}, owner_ref = $8
      WHERE owner_key = $1 AND provider = $2 AND version = $3 AND expires_at > now()`,
    // The upkeep index is the grants' own upkeep_at: moved without touching record or version.
    rescheduleUpkeep: `UPDATE ${t.grants} SET upkeep_at = ${epochMs(3)}, owner_ref = $4
      WHERE owner_key = $1 AND provider = $2 AND expires_at > now()`,
    // $1: now (epoch ms), $2: most rows, $3: lease end (epoch ms). Rows another claimer (or a
    // writer) holds are skipped, not waited for: concurrent claimers get different grants.
    claimDueGrants: `WITH due AS (
        SELECT owner_key, provider, upkeep_at FROM ${t.grants}
        WHERE upkeep_at <= ${epochMs(1)} AND expires_at > now()
        ORDER BY upkeep_at LIMIT $2 FOR UPDATE SKIP LOCKED),
      moved AS (UPDATE ${t.grants} AS g SET upkeep_at = ${epochMs(3)} FROM due
        WHERE g.owner_key = due.owner_key AND g.provider = due.provider
        RETURNING g.owner_key, g.provider, g.owner_ref, due.upkeep_at AS was)
      SELECT owner_key, provider, owner_ref FROM moved ORDER BY was, owner_key, provider`,
    // A claimed row whose owner does not open: out of the index until its next write, only while
    // nobody has moved it since the claim.
    forgetUpkeep: `UPDATE ${t.grants} SET upkeep_at = NULL, owner_ref = NULL
      WHERE owner_key = $1 AND provider = $2 AND upkeep_at = ${epochMs(3)}`,
    deleteGrant: `DELETE FROM ${t.grants} WHERE owner_key = $1 AND provider = $2`,
    putTransaction: `INSERT INTO ${t.transactions} (id, record, expires_at) VALUES ($1, $2, ${inMs(3)})
      ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
    // Read and delete in one step: of concurrent takers exactly one gets the row.
    takeTransaction: `DELETE FROM ${t.transactions} WHERE id = $1
      RETURNING record, expires_at > now() AS live`,
    acquireLock: `INSERT INTO ${t.locks} AS l (key, owner, expires_at) VALUES ($1, $2, ${inMs(3)})
      ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
      WHERE l.expires_at <= now()
      RETURNING owner`,
    releaseLock: `DELETE FROM ${t.locks} WHERE key = $1 AND owner = $2`,
    // $1: the lookup keys' digests (text[]), $2: the session's digest, $3: ms to live
    indexSession: `INSERT INTO ${t.sessionIndex} (key, session_key, expires_at)
      SELECT k, $2, ${inMs(3)} FROM unnest($1::text[]) AS k
      ON CONFLICT (key, session_key) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    // One statement: the index entry, then the sessions it names and their grants.
    // An expired entry goes too, but its session (indexed no longer) stays.
    deleteIndexedSessions: `WITH taken AS (DELETE FROM ${t.sessionIndex} WHERE key = $1
        RETURNING session_key, expires_at > now() AS live),
      named AS (SELECT session_key FROM taken WHERE live),
      grants AS (DELETE FROM ${t.grants} WHERE owner_key IN (SELECT session_key FROM named))
      DELETE FROM ${t.sessions} WHERE id IN (SELECT session_key FROM named)
      RETURNING expires_at > now() AS live`,
    // Inserted, or an expired row taken over: exactly one of concurrent claimers gets a row back.
    claimOnce: `INSERT INTO ${t.claims} AS c (key, expires_at) VALUES ($1, ${inMs(2)})
      ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE c.expires_at <= now()
      RETURNING key`,
    /** Deletes up to $1 expired rows of each table; the row is re-checked, so a renewed one stays. */
    cleanup: [t.sessions, t.grants, t.transactions, t.locks, t.sessionIndex, t.claims].map(
      (table) => `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${table} WHERE expires_at <= now() LIMIT $1)) AND expires_at <= now()`,
    ),
  };
}

/** The statements of {@link postgresStatements}. */
export type PostgresStatements = ReturnType<typeof postgresStatements>;
