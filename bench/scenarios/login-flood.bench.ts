import { MemoryTokenStore } from 'nestjs-auth-code';
import type { FakeXt } from 'nestjs-auth-code/testing';
import { Browser } from '../../test/support/browser';
import { LoopbackClient } from '../../test/support/from-address';
import { login } from '../../test/support/login-flow';
import { xtFixture, type ProviderFixture } from '../../test/support/provider-fixtures';
import { startTestApp } from '../../test/support/test-app';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import { ms } from '../stats';

/** Logged-in users before the flood. */
const USERS = 20;
/** Anonymous clients (one loopback address each) and the login starts each sends, per row. */
const ROWS: Array<{ clients: number; startsPerClient: number }> = [
  { clients: 12, startsPerClient: 1000 },
  { clients: 120, startsPerClient: 100 },
];
/** Concurrent connections per client. */
const CONCURRENCY = 4;

/** What one flood did. */
interface FloodResult {
  statuses: Map<number, number>;
  wallMs: number;
  cpuUs: number;
  usersAlive: number;
  newLogin: string;
  store: Record<string, number>;
}

async function flood(
  fx: ProviderFixture<FakeXt>,
  row: (typeof ROWS)[number],
): Promise<FloodResult> {
  const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
  // The per-minute rate limit is lifted so that the 10-minute attempt lifetime is compressed into
  // a few seconds: what is measured is the state the attempts leave, not the throttler.
  const app = await startTestApp({ providers: [fx.definition], store, rateLimit: 1_000_000 });
  const users: Browser[] = [];
  for (let i = 0; i < USERS; i++) {
    const b = new Browser(app.url);
    await login(b, 'xt', fx.fake);
    users.push(b);
  }
  const clients = Array.from(
    { length: row.clients },
    (_, i) => new LoopbackClient(`127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`),
  );
  const statuses = new Map<number, number>();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < row.startsPerClient / CONCURRENCY; i++) {
          const { status } = await client.get(`${app.url}/auth/xt/login`, {
            accept: 'application/json',
          });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    ),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  let usersAlive = 0;
  for (const u of users) if ((await u.get('/me')).status === 200) usersAlive++;
  const newcomer = new Browser(app.url);
  const begun = await newcomer.get('/auth/xt/login');
  const newLogin =
    begun.status !== 302
      ? `answers ${begun.status}`
      : (await login(newcomer, 'xt', fx.fake)).callback.status === 302
        ? 'works'
        : 'fails';
  const result: FloodResult = {
    statuses,
    wallMs,
    cpuUs: used.user + used.system,
    usersAlive,
    newLogin,
    store: store.stats() as unknown as Record<string, number>,
  };
  clients.forEach((c) => c.close());
  await app.close();
  store.close();
  return result;
}

/** One table row. */
function rowOf(row: (typeof ROWS)[number], r: FloodResult): string {
  const total = row.clients * row.startsPerClient;
  const count = (s: number) => r.statuses.get(s) ?? 0;
  const other = total - count(302) - count(429) - count(503);
  const kinds = ['sessions', 'grants', 'transactions']
    .map((k) => (k in r.store ? `${r.store[k]} ${k}` : undefined))
    .filter(Boolean)
    .join(', ');
  const store = `${r.store.records} records${kinds ? ` (${kinds})` : ''}`;
  return `| ${row.clients} × ${row.startsPerClient} | ${count(302)} | ${count(429)} | ${count(503)} | ${other} | ${ms(r.wallMs)} | ${(r.cpuUs / total).toFixed(0)} | ${r.usersAlive} of ${USERS} | ${r.newLogin} | ${store} |`;
}

/** `npm run bench -- login-flood`: anonymous login starts against logged-in users (issue 9, hole 3). */
export const loginFlood: BenchScenario = {
  name: 'login-flood',
  description: `12000 anonymous login starts from 12 and from 120 addresses; do ${USERS} logged-in users survive?`,
  async run() {
    const fx = await xtFixture();
    try {
      const rows: string[] = [];
      for (const row of ROWS) rows.push(rowOf(row, await flood(fx, row)));
      return `## Login flood

${machineLine()}

${USERS} users log in (XT fake, memory store and login budget with their default limits), then
anonymous clients — one loopback address each, ${CONCURRENCY} connections each — send
\`GET /auth/xt/login\` and never come back. The per-minute rate limit is lifted so the 10-minute
attempt lifetime fits in one run. Then every user asks \`/me\`, and a new browser logs in. CPU is
the whole process's (app, fake and load generator) divided by the login starts.

| clients × starts | 302 | 429 | 503 | other | wall ms | CPU µs per start | users still logged in | new login | store afterwards |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`;
    } finally {
      await fx.fake.stop();
    }
  },
};
