import { measureThroughput, type ThroughputPlan } from '../overhead/throughput';
import { medianOf, methodLine, throughputTable, times } from '../overhead/throughput-table';
import { VARIANTS } from '../overhead/variants';
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
    const results = await measureThroughput(
      NAMES.map((n) => VARIANTS[n]),
      PLAN,
    );
    const noop = medianOf(results, 'session-memory-noop');
    const refresh = medianOf(results, 'session-memory-refresh');
    const guard = medianOf(results, 'session-memory');
    const redisGuard = medianOf(results, 'session-redis');
    const redisRefresh = medianOf(results, 'session-redis-refresh');
    return [
      '## Interceptor overhead',
      '',
      machineLine(),
      '',
      methodLine(PLAN),
      'Every request carries the cookie of a real session (created through `TokenService.saveLogin`)',
      'holding a grant of a provider whose access token stays fresh for the whole run, so',
      '`TokenRefreshInterceptor` only checks: `getValidToken` reads the session and the grant, finds',
      'the token fresh and lets the handler run (no refresh, no upstream call). The interceptor is',
      'global (`APP_INTERCEPTOR`), which runs the same code as `@UseInterceptors` on the route.',
      '',
      throughputTable(results, 'bare', {
        name: 'session-memory-noop',
        header: '× guard + no-op (median)',
      }),
      '',
      `The interceptor's own cost (memory store): ${times(refresh / noop)} of the same route with a`,
      `no-op interceptor, ${times(refresh / guard)} of the guard alone. With Redis:`,
      `${times(redisRefresh / redisGuard)} of the guard alone.`,
    ].join('\n');
  },
};
