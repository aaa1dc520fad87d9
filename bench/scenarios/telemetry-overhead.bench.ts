import { AuthCodeEngine, type AuthTelemetry, type ProviderDefinition } from 'nestjs-auth-code';
import { FakeOAuth2 } from 'nestjs-auth-code/testing';
import { fakeOAuth2Definition } from '../../libs/auth-code/src/testing/fake-oauth2.definition';
import { machineLine } from '../report';
import type { BenchScenario } from '../scenario';
import { telemetryVariants, type TelemetryVariant } from '../telemetry/telemetry-variants';

const ROUNDS = 7;
const WRAPPER_CALLS = 100_000;
const USERINFO_CALLS = 4_000;
const ANSWER = { status: 200 };

/** What one measured call does. */
type Work = 'wrapper' | 'userinfo';

interface Fixture {
  fake: FakeOAuth2;
  def: ProviderDefinition;
  token: string;
}

/**
 * What the telemetry costs per instrumented call, in process: CPU µs (user + system) per call of
 * (1) the instrumentation alone — one operation span around one HTTP client span, the pair every
 * provider call carries, with no I/O — and (2) a real userinfo call through the engine to a fake on
 * loopback (client and fake in this process). Each with `@opentelemetry/api` absent, present
 * without an SDK, and with an SDK. Interleaved rounds, median.
 */
export const telemetryOverhead: BenchScenario = {
  name: 'telemetry-overhead',
  description: 'CPU µs per instrumented call without @opentelemetry/api, with it, with an SDK',
  async run() {
    const variants = telemetryVariants();
    const fake = new FakeOAuth2();
    await fake.start();
    const fx: Fixture = {
      fake,
      def: fakeOAuth2Definition(fake),
      token: fake.issueTokens().accessToken,
    };
    const figures = new Map<string, number[]>();
    const exported = new Map<string, number>();
    try {
      for (const v of variants) {
        await measure(v.telemetry, fx, 'wrapper', 5_000);
        await measure(v.telemetry, fx, 'userinfo', 200);
        exported.set(v.name, await v.exported());
      }
      if (exported.get('API + SDK') === 0) throw new Error('the SDK variant recorded no span');
      for (let round = 0; round < ROUNDS; round++) {
        for (const v of rotate(variants, round)) {
          for (const work of ['wrapper', 'userinfo'] as const) {
            const calls = work === 'wrapper' ? WRAPPER_CALLS : USERINFO_CALLS;
            const key = `${v.name}|${work}`;
            figures.set(key, [
              ...(figures.get(key) ?? []),
              await measure(v.telemetry, fx, work, calls),
            ]);
            await v.exported();
            v.reset();
          }
        }
      }
    } finally {
      await fake.stop();
      for (const v of variants) await v.close();
    }
    return report(variants, figures, exported);
  },
};

async function measure(t: AuthTelemetry, fx: Fixture, work: Work, calls: number): Promise<number> {
  const engine = new AuthCodeEngine({ telemetry: t });
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    if (work === 'userinfo') await engine.userinfo(fx.def, fx.token);
    else await wrapper(t);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function wrapper(t: AuthTelemetry): Promise<unknown> {
  return t.operation('api', 'bench', (span) => {
    span.set({ 'auth_code.api.call': 'profile' });
    const call = { method: 'GET', url: 'https://api.example.com/v1/profile?page=1' };
    return t.httpCall(call, 'bench', 'api', async () => ANSWER);
  });
}

function report(
  variants: TelemetryVariant[],
  figures: Map<string, number[]>,
  exported: Map<string, number>,
): string {
  const med = (name: string, work: Work) => median(figures.get(`${name}|${work}`)!);
  const base = variants[0].name;
  const rows = variants.map((v) => {
    const cells = (['wrapper', 'userinfo'] as const).flatMap((w) => {
      const us = med(v.name, w);
      const delta = us - med(base, w);
      return [us.toFixed(2), v.name === base ? '—' : `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`];
    });
    return `| ${v.name} | ${v.what} | ${cells.join(' | ')} | ${spread(v.name)} |`;
  });
  return [
    '## Telemetry overhead',
    '',
    machineLine(),
    '',
    `Method: CPU (user + system) of this process per call, median of ${ROUNDS} interleaved rounds (the`,
    'order of the variants rotated by one per round), after a warm-up. "Instrumentation" is one',
    `operation span around one HTTP client span with no I/O (${WRAPPER_CALLS.toLocaleString('en')} calls per`,
    'figure): what every provider call adds. "Userinfo call" is a real `engine.userinfo()` to a',
    `fake OAuth 2.0 server on loopback (${USERINFO_CALLS.toLocaleString('en')} calls per figure), whose own`,
    'CPU counts too (same process): the scale of a real upstream call. The SDK has no context',
    'manager here (sdk-node registers one, which adds its own cost to every span); the fresh-token',
    'hot path (guard, interceptor) makes no span at all, so it pays none of this.',
    '',
    '| variant | what | instrumentation µs | Δ vs none | userinfo call µs | Δ vs none | worst spread of a round |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Spans the SDK variant exported during the warm-up: ${exported.get('API + SDK')} (the others: 0).`,
    '',
    'Read with care: the userinfo column is a whole loopback round trip and moves with the load of',
    'the shared machine (its spread); the instrumentation column is what the telemetry itself costs',
    `per provider call: ${delta('API, no SDK')} µs with the API and no SDK, ${delta('API + SDK')} µs with an SDK,`,
    `against a real call of about ${Math.round(med(base, 'userinfo'))} µs here.`,
  ].join('\n');

  function delta(name: string): string {
    return (med(name, 'wrapper') - med(base, 'wrapper')).toFixed(1);
  }

  function spread(name: string): string {
    const worst = Math.max(
      ...(['wrapper', 'userinfo'] as const).map((w) => {
        const xs = figures.get(`${name}|${w}`)!;
        return (Math.max(...xs) - Math.min(...xs)) / median(xs);
      }),
    );
    return `${Math.round(worst * 100)} %`;
  }
}

function rotate<T>(xs: T[], by: number): T[] {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
