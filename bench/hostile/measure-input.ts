import type { AppProcess } from './app-process';
import type { HostileUpstream } from './hostile-upstream';
import { BENCH_BASE_URL } from './hostile-app.messages';
import type { HostileInput } from './input-classes';

/** One measured request. */
export interface Shot {
  /** App CPU time for the request, µs. */
  cpuMicros: number;
  /** Time to the full answer, ms. */
  ms: number;
  /** HTTP status, or 0 when the connection was dropped. */
  status: number;
  /** How much the app's resident memory grew during the request, bytes. */
  rssGrowth: number;
}

/** How long one request may take before the cell counts as capped and the app is restarted. */
export const CAP_MS = 15_000;

/** The request to measure: for callback inputs, a login is started first (not measured). */
async function target(
  app: AppProcess,
  input: HostileInput,
): Promise<{ url: string; headers: Record<string, string> }> {
  const headers = { accept: 'application/json', ...input.headers?.(input.bytes) };
  if (input.kind === 'request') return { url: app.url + input.path!(input.bytes), headers };
  const start = await fetch(`${app.url}/auth/hostile/login`, { redirect: 'manual' });
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const back = new URL(approved.headers.get('location')!);
  if (!back.href.startsWith(BENCH_BASE_URL)) throw new Error(`unexpected callback ${back.href}`);
  return { url: `${app.url}${back.pathname}${back.search}`, headers: { ...headers, cookie } };
}

/**
 * Sends one hostile request and measures the app's CPU time for it (a CPU snapshot just before and
 * just after, over IPC: the baseline row shows what the snapshots and a plain request cost).
 * Resolves `capped` when the answer takes longer than {@link CAP_MS}.
 */
export async function shoot(app: AppProcess, input: HostileInput): Promise<Shot | 'capped'> {
  const { url, headers } = await target(app, input);
  const before = await app.cpu();
  const started = performance.now();
  let status = 0;
  try {
    const res = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(CAP_MS),
    });
    await res.arrayBuffer();
    status = res.status;
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return 'capped';
  }
  const ms = performance.now() - started;
  const after = await app.cpu();
  return { cpuMicros: after.micros - before.micros, ms, status, rssGrowth: after.rss - before.rss };
}

/**
 * Measures one input against one app for about `budgetMs` (at least one request, at most
 * `maxShots`). Resolves the shots, or `capped` (the app is then restarted).
 */
export async function measureInput(
  app: AppProcess,
  input: HostileInput,
  upstream: HostileUpstream,
  budgetMs = 1000,
  maxShots = 30,
): Promise<Shot[] | 'capped'> {
  await input.prepare?.(upstream);
  const shots: Shot[] = [];
  const started = performance.now();
  while (
    shots.length < maxShots &&
    (shots.length === 0 || performance.now() - started < budgetMs)
  ) {
    const shot = await shoot(app, input);
    if (shot === 'capped') {
      await app.restart();
      return 'capped';
    }
    shots.push(shot);
  }
  return shots;
}
