import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { hotPathFixture, type HotPathFixture } from '../hot-path/hot-path-fixture';
import { cpuPerCall, oneRequest, type HotPathWork } from '../hot-path/measure';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const CALLS = 100_000;
const ROUNDS = 5;
const WORKS: HotPathWork[] = ['context', 'guard', 'guard+noop', 'guard+interceptor'];
const REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The library's own work per request, in process: CPU µs per call of `SessionGuard.canActivate`
 * and of `TokenRefreshInterceptor` on a fresh token, over ≥ 100 000 calls on real request
 * objects (a new `IncomingMessage` each), interleaved rounds, median. Unlike req/s of a server,
 * this does not move with the load of the shared machine much: it is what the code costs.
 */
export const hotPath: BenchScenario = {
  name: 'hot-path',
  description: 'CPU µs per call of SessionGuard and TokenRefreshInterceptor, in process',
  async run() {
    const prefix = `bench-hot-${randomBytes(4).toString('hex')}:`;
    const stores: Array<[string, HotPathFixture]> = [
      ['memory', await hotPathFixture('memory', prefix)],
      ['Redis', await hotPathFixture(REDIS_URL, prefix)],
    ];
    const figures = new Map<string, number[]>();
    try {
      for (const [, f] of stores)
        for (const w of WORKS) for (let i = 0; i < 2000; i++) await oneRequest(f, w);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [store, f] of stores) {
          for (const work of WORKS) {
            const key = `${store}|${work}`;
            figures.set(key, [...(figures.get(key) ?? []), await cpuPerCall(f, work, CALLS)]);
          }
        }
      }
    } finally {
      for (const [, f] of stores) await f.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    const med = (store: string, work: HotPathWork) => median(figures.get(`${store}|${work}`)!);
    const rows = stores.map(([store]) => {
      const ctx = med(store, 'context');
      const guard = med(store, 'guard') - ctx;
      const interceptor = med(store, 'guard+interceptor') - med(store, 'guard+noop');
      return `| ${store} | ${fmt(ctx)} | ${fmt(guard)} | ${fmt(interceptor)} | ${spread(store)} |`;
    });
    return [
      '## Hot path, in process',
      '',
      machineLine(),
      '',
      `Method: ${CALLS.toLocaleString('en')} calls per figure on a new real \`IncomingMessage\` each, ${ROUNDS} interleaved`,
      'rounds, median; CPU (user + system) of this process divided by the calls. "request" is',
      'building the request and its Nest `ExecutionContext`; the guard and interceptor columns are',
      "their own cost over that (the interceptor's over a no-op handler chain). One logged-in",
      'session, its grant fresh for an hour (no refresh during the run).',
      '',
      '| store | request µs | SessionGuard µs | TokenRefreshInterceptor µs | spread of a round |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n');

    function spread(store: string): string {
      const all = WORKS.flatMap((w) => figures.get(`${store}|${w}`)!);
      const worst = Math.max(
        ...WORKS.map((w) => {
          const xs = figures.get(`${store}|${w}`)!;
          return (Math.max(...xs) - Math.min(...xs)) / median(xs);
        }),
      );
      return all.length ? `${Math.round(worst * 100)} %` : '';
    }
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(us: number): string {
  return us.toFixed(2);
}
