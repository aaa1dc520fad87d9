import { measureThroughput, type ThroughputPlan } from '../overhead/throughput';
import {
  cpuOf,
  medianOf,
  methodLine,
  signed,
  throughputTable,
  targetLine,
  times,
} from '../overhead/throughput-table';
import { redisCommandCalls } from '../overhead/redis-calls';
import { REDIS_URL, VARIANTS } from '../overhead/variants';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const PLAN: ThroughputPlan = { connections: 50, warmupSeconds: 3, rounds: 5, seconds: 3 };
const NAMES = [
  'bare',
  'noop-interceptor',
  'session-memory',
  'session-memory-noop',
  'session-memory-refresh',
  'session-redis',
  'session-redis-refresh',
];

/**
 * Interceptor overhead: what `TokenRefreshInterceptor` costs on a route whose provider token is
 * fresh (it only checks), against a no-op interceptor and none, behind `SessionGuard`.
 */
export const interceptorOverhead: BenchScenario = {
  name: 'interceptor-overhead',
  description:
    'req/s of a guarded route with TokenRefreshInterceptor (fresh token) vs a no-op interceptor vs none',
  async run() {
    const before = await redisCommandCalls(REDIS_URL, ['hget']);
    const results = await measureThroughput(
      NAMES.map((n) => VARIANTS[n]),
      PLAN,
    );
    const hgets = (await redisCommandCalls(REDIS_URL, ['hget'])).hget - before.hget;
    const refreshAnswers = results.find((r) => r.variant.name === 'session-redis-refresh')!.answers;
    const noop = medianOf(results, 'session-memory-noop');
    const refresh = medianOf(results, 'session-memory-refresh');
    const guard = medianOf(results, 'session-memory');
    const redisGuard = medianOf(results, 'session-redis');
    const redisRefresh = medianOf(results, 'session-redis-refresh');
    const cpu = (name: string, base: string) => signed(cpuOf(results, name) - cpuOf(results, base));
    return [
      '## Interceptor overhead',
      '',
      machineLine(),
      '',
      methodLine(PLAN),
      '',
      'Every request carries the cookie of a real session (created through `TokenService.saveLogin`)',
      'holding a grant of a provider whose access token stays fresh for the whole run, so',
      '`TokenRefreshInterceptor` only checks (`TokenService.ensureFresh`): the first request of the',
      "session reads and decrypts the grant; later ones find the token's expiry in an in-process",
      'memo (the expiry only, never the token) and let the handler run without a store read — the',
      "handler's own token read, when it has one, still reads the store. No refresh, no upstream",
      'call. The interceptor is global (`APP_INTERCEPTOR`), which runs the same code as',
      "`@UseInterceptors` on the route. Nest's interceptor machinery (RxJS, an AsyncResource per",
      'call) is what the no-op rows cost.',
      '',
      throughputTable(results, 'bare', {
        name: 'session-memory-noop',
        header: '× guard + no-op (median)',
      }),
      '',
      `The interceptor's own cost (memory store): ${times(refresh / noop)} the req/s of the same`,
      `route with a no-op interceptor (${cpu('session-memory-refresh', 'session-memory-noop')} µs`,
      `CPU per request), ${times(refresh / guard)} of the guard alone`,
      `(${cpu('session-memory-refresh', 'session-memory')} µs). With Redis:`,
      `${times(redisRefresh / redisGuard)} of the guard alone`,
      `(${cpu('session-redis-refresh', 'session-redis')} µs). A no-op interceptor alone:`,
      `${cpu('noop-interceptor', 'bare')} µs over the bare route. Redis ran ${hgets} HGETs (grant`,
      `reads) during the measurement, for ${refreshAnswers} answers of the Redis interceptor row:`,
      'the memo spares the store read on a fresh token.',
      '',
      'Target:',
      '',
      targetLine(
        'TokenRefreshInterceptor (fresh token, memory) ≥ 0.95× a no-op interceptor',
        refresh / noop >= 0.95,
        times(refresh / noop),
      ),
    ].join('\n');
  },
};
