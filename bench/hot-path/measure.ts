import { lastValueFrom } from 'rxjs';
import type { HotPathFixture } from './hot-path-fixture';

/** What one measured call does. */
export type HotPathWork = 'context' | 'guard' | 'guard+interceptor' | 'guard+noop';

/** One request's worth of work on the fixture (a new request object every time). */
export async function oneRequest(f: HotPathFixture, work: HotPathWork): Promise<void> {
  const ctx = f.context();
  if (work === 'context') return;
  if (!(await f.guard.canActivate(ctx))) throw new Error('the guard refused a live session');
  if (work === 'guard') return;
  if (work === 'guard+noop') {
    await lastValueFrom(f.next.handle());
    return;
  }
  await lastValueFrom(await f.interceptor.intercept(ctx, f.next));
}

/** CPU µs (user + system) per call of `work`, over `calls` calls. */
export async function cpuPerCall(
  f: HotPathFixture,
  work: HotPathWork,
  calls: number,
): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await oneRequest(f, work);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}
