import type { FakeRoute, FakeServer } from 'nestjs-auth-code/testing';

/** One answer a fake sent. */
export interface LoggedAnswer {
  /** Route name, e.g. `token`. */
  route: string;
  /** HTTP status. */
  status: number;
  /** Body as sent (objects as JSON). */
  body: string;
}

/** A fake that also keeps every answer it sent (what the real provider would have issued). */
export interface WithAnswerLog {
  /** Every answer, oldest first. */
  readonly answers: LoggedAnswer[];
}

/**
 * Subclasses a fake provider so it records its answers: tests that must know every token a
 * provider issued (to look for it in logs, say) read them here instead of the fake's private state.
 */
export function withAnswerLog<T extends new (...args: any[]) => FakeServer>(Base: T) {
  // `routes` is abstract on FakeServer's type, so TypeScript refuses `super.routes()`: call the
  // concrete fake's implementation through its prototype instead.
  const baseRoutes = (Base.prototype as unknown as { routes(this: FakeServer): FakeRoute[] })
    .routes;
  return class extends Base implements WithAnswerLog {
    readonly answers: LoggedAnswer[] = [];

    protected override routes(): FakeRoute[] {
      return baseRoutes.call(this).map((r) => ({
        ...r,
        handle: async (req) => {
          const res = await r.handle(req);
          const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
          this.answers.push({ route: r.name, status: res.status ?? 200, body });
          return res;
        },
      }));
    }
  };
}

/** Every string value under a key that names a token (`access_token`, `id_token`, ...) in the answers. */
export function issuedTokens(answers: LoggedAnswer[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string' && /token/i.test(key) && !/type/i.test(key)) out.push(v);
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, k);
  };
  for (const a of answers) {
    try {
      walk(JSON.parse(a.body));
    } catch {
      // not JSON: issues nothing
    }
  }
  return out;
}
