import { randomUUID } from 'node:crypto';
import {
  AuthCodeEngine,
  KeyRing,
  MemoryTokenLock,
  MemoryTokenStore,
  oauth2,
  PostgresTokenLock,
  PostgresTokenStore,
  ProviderRegistry,
  TokenService,
  type TokenLock,
  type TokenStore,
} from 'nestjs-auth-code';
import { PostgresDatabase } from '../../test/support/postgres-database';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import { ms, summarize } from '../stats';

/** Users connected per store. */
const USERS = 2000;
/** Logins in flight at once. */
const CONCURRENCY = 8;
/** Users already in the directory for the large-directory rows (about 3,100 per shard). */
const PREFILLED = 100_000;
/** Shards of the directory (`connection-directory.ts`). */
const SHARDS = 32;

const provider = oauth2({
  id: 'bench',
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'http://localhost:3000/auth/bench/callback',
  authorizeUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
});

/** A completed login of user `n` (no upstream call: saveLogin takes the tokens as they are). */
const grant = (n: number) => ({
  provider: 'bench',
  profile: { provider: 'bench', id: `user-${n}` },
  tokenSet: {
    accessToken: randomUUID(),
    refreshToken: randomUUID(),
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3_600_000,
  },
});

async function lanes(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Timed logins (ms each) of users `offset..offset+count-1`. */
async function logins(tokens: TokenService, count: number, offset = 0): Promise<number[]> {
  const took: number[] = [];
  await lanes(count, async (i) => {
    const t0 = performance.now();
    await tokens.saveLogin(undefined, grant(offset + i));
    took.push(performance.now() - t0);
  });
  return took;
}

async function measure(name: string, store: TokenStore, lock: TokenLock): Promise<string[]> {
  const make = (grantScope: 'user' | 'session') =>
    new TokenService({
      store,
      lock,
      engine: new AuthCodeEngine(),
      registry: new ProviderRegistry([provider]),
      options: { grantScope },
    });
  const user = make('user');
  // session-scoped logins: no connection, no directory (the baseline)
  const session = summarize(await logins(make('session'), USERS, 10 * USERS));
  const first = summarize(await logins(user, USERS)); // connection + a directory entry each
  const again = summarize(await logins(user, USERS)); // the same users: the entry is there
  const t0 = performance.now();
  let listed = 0;
  for await (const u of user.connectedUsers('bench')) if (u.status === 'connected') listed++;
  const walk = performance.now() - t0;
  if (listed !== USERS) throw new Error(`${name}: connectedUsers listed ${listed} of ${USERS}`);
  // a large directory: every shard rewritten with its share of PREFILLED more keys, then new users
  for (let n = 0; n < SHARDS; n++) {
    const owner = `connections-directory:${n}`;
    const current = await store.getGrant(owner, 'bench');
    const users = [
      ...((current?.claims?.users as string[] | undefined) ?? []),
      ...Array.from({ length: PREFILLED / SHARDS }, (_, i) => `bench:prefilled-user-${n}-${i}`),
    ];
    const shard = {
      tokenSet: { accessToken: '', tokenType: 'none', expiresAt: 0 },
      profile: { provider: 'bench', id: 'connections-directory' },
      claims: { users },
    };
    await store.compareAndSetGrant(owner, 'bench', shard, current?.version ?? 0, 3_600_000);
  }
  const large = summarize(await logins(user, USERS, 20 * USERS));
  const row = (label: string, s: ReturnType<typeof summarize>) =>
    `| ${name} | ${label} | ${ms(s.p50)} ms | ${ms(s.p99)} ms |`;
  return [
    row('login, session scope (baseline)', session),
    row('login, user scope, new user (connection + directory entry)', first),
    row('login, user scope, same user again (directory entry already there)', again),
    `| ${name} | connectedUsers over ${USERS} users | ${ms(walk)} ms in all | ${((walk / USERS) * 1000).toFixed(0)} µs per user |`,
    row(
      `login, user scope, new user, ${PREFILLED.toLocaleString('en')} users in the directory`,
      large,
    ),
  ];
}

/**
 * The cost of `TokenService.connectedUsers`' directory: login latency with and without it
 * (session scope vs user scope, new and returning users) and one walk over every connected user,
 * on the memory store and on PostgreSQL.
 */
export const connectionsDirectory: BenchScenario = {
  name: 'connections-directory',
  description:
    'login cost of the connections directory and a connectedUsers walk (memory, PostgreSQL)',
  async run() {
    const rows = await measure(
      'memory',
      new MemoryTokenStore(KeyRing.ephemeral(), {
        sweepIntervalMs: 0,
        maxSessions: USERS * 10,
        maxGrants: USERS * 10,
      }),
      new MemoryTokenLock(),
    );
    const db = await PostgresDatabase.create();
    const store = new PostgresTokenStore({ postgres: db.url, cipher: KeyRing.ephemeral() });
    try {
      await store.migrate();
      rows.push(
        ...(await measure(
          'PostgreSQL',
          store,
          new PostgresTokenLock({ postgres: store.pool, ...store.naming }),
        )),
      );
    } finally {
      await store.close();
      await db.drop();
    }
    return [
      '## connections-directory',
      '',
      `\`npm run bench -- connections-directory\`: ${USERS} users log in (${CONCURRENCY} at a time,`,
      'no upstream call: `saveLogin` with ready tokens), then log in again, then one',
      '`TokenService.connectedUsers()` walk lists them all (32 shard reads, one connections-record',
      'read per user). A new user costs one shard read and one compare-and-set more; a returning',
      'user one shard read.',
      '',
      '| store | what | p50 | p99 |',
      '|---|---|---|---|',
      ...rows,
      '',
      machineLine(),
    ].join('\n');
  },
};
