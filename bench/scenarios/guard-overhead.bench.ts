import { measureThroughput, type ThroughputPlan } from '../overhead/throughput';
import {
  cpuOf,
  medianOf,
  methodLine,
  signed,
  targetLine,
  throughputTable,
  times,
} from '../overhead/throughput-table';
import { redisCommandCalls } from '../overhead/redis-calls';
import { REDIS_URL, VARIANTS } from '../overhead/variants';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';

const PLAN: ThroughputPlan = { connections: 50, warmupSeconds: 3, rounds: 5, seconds: 3 };
const NAMES = ['bare', 'allow-guard', 'session-memory', 'session-redis', 'passport-session'];

/**
 * Guard overhead: requests per second of one route bare, behind a trivial guard, behind
 * `SessionGuard` (memory and Redis store) and behind the common alternative (express-session +
 * passport.session()), all with a real logged-in session on every request.
 */
export const guardOverhead: BenchScenario = {
  name: 'guard-overhead',
  description:
    'req/s of a route bare vs behind SessionGuard (memory, Redis) vs express-session + passport',
  async run() {
    const before = await redisCommandCalls(REDIS_URL, ['get']);
    const results = await measureThroughput(
      NAMES.map((n) => VARIANTS[n]),
      PLAN,
    );
    const gets = (await redisCommandCalls(REDIS_URL, ['get'])).get - before.get;
    const redisAnswers = results.find((r) => r.variant.name === 'session-redis')!.answers;
    if (gets < redisAnswers) {
      throw new Error(
        `${gets} Redis GETs for ${redisAnswers} answers: the guard skipped the store`,
      );
    }
    const bare = medianOf(results, 'bare');
    const memory = medianOf(results, 'session-memory');
    const redis = medianOf(results, 'session-redis');
    const passport = medianOf(results, 'passport-session');
    const extra = (name: string) => signed(cpuOf(results, name) - cpuOf(results, 'bare'));
    return [
      '## Guard overhead',
      '',
      machineLine(),
      '',
      methodLine(PLAN),
      '',
      'Guarded requests carry the signed cookie of a real session created through the library',
      '(`TokenService.saveLogin` + `CookieSigner`), so `SessionGuard` reads the cookie, checks its',
      'signature (memoized per cookie value) and reads and decrypts the session record from the store',
      'on every request; the Redis store is the local one on 6379 (keys under a unique prefix, deleted',
      "afterwards). The baseline is the NestJS docs' session setup: express-session with its default",
      'MemoryStore, `passport.initialize()` + `passport.session()` (deserializeUser looks up a small',
      'user), a global guard returning `req.isAuthenticated()`, logged in through `@nestjs/passport`',
      '`AuthGuard` + `logIn`. Unguarded variants get a cookie header of the same size.',
      '',
      'Read with care: the Redis store keeps every record AES-256-GCM encrypted, so each guarded',
      'request pays one decrypt; the memory store encrypts grants (tokens) and login transactions but',
      'keeps session records (id, profile, provider ids: no secret) as frozen objects, so its guard',
      'read is a map lookup. All requests use one session, so the per-process',
      'memos (cookie signature, store key names; 10 000 values each) always hit. The machine is shared',
      '(other test runs), hence the spread column; the CPU column is the steadier comparison.',
      '',
      throughputTable(results, 'bare'),
      '',
      `Server CPU per request over the bare route: trivial guard ${extra('allow-guard')} µs,`,
      `SessionGuard ${extra('session-memory')} µs with the memory store and ${extra('session-redis')} µs`,
      `with Redis, express-session + passport.session() ${extra('passport-session')} µs.`,
      '',
      `Redis ran ${gets} GETs during the measurement, at least one for each of the Redis row's`,
      `${redisAnswers} recorded answers (other clients of this Redis count too): the Redis row does`,
      'read the store on every request. It can come out close to the bare route because requests',
      'that arrive together wait for Redis together and are finished together when the answers come',
      'back (one auto-pipelined write, one read), which costs less CPU per request than finishing',
      'them one by one as the bare and memory-store servers do; with few concurrent requests that',
      'advantage goes away.',
      '',
      'Targets:',
      '',
      targetLine('SessionGuard, memory ≥ 0.95× bare', memory / bare >= 0.95, times(memory / bare)),
      targetLine('SessionGuard, Redis ≥ 0.93× bare', redis / bare >= 0.93, times(redis / bare)),
      targetLine(
        'faster than express-session + passport.session()',
        memory > passport && redis > passport,
        `memory ${times(memory / passport)}, Redis ${times(redis / passport)} of the baseline`,
      ),
    ].join('\n');
  },
};
