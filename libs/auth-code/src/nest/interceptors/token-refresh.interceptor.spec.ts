import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, lastValueFrom } from 'rxjs';
import {
  AuthCodeError,
  LoginRequiredError,
  ProviderRejectedError,
} from '../../errors/auth-code.errors';
import type { ValidToken } from '../../tokens/token.service';
import { ProviderApi } from '../decorators/provider-api.decorator';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { SessionRequiredError } from '../session/session-required.error';
import { TokenRefreshInterceptor, type TokenRefresher } from './token-refresh.interceptor';

/** A hand-written token service: records calls in order, optionally fails refreshes. */
class FakeTokens implements TokenRefresher {
  readonly log: string[];
  refreshError?: Error;
  constructor(log: string[]) {
    this.log = log;
  }
  async ensureFresh(sessionId: string, provider: string): Promise<void> {
    this.log.push(`ensureFresh ${sessionId} ${provider}`);
  }
  async refresh(
    sessionId: string,
    provider: string,
    opts?: { force?: boolean },
  ): Promise<ValidToken> {
    this.log.push(`refresh ${sessionId} ${provider} force=${opts?.force}`);
    if (this.refreshError) throw this.refreshError;
    return { tokenSet: { accessToken: 'b', tokenType: 'Bearer', expiresAt: 0 }, refreshed: true };
  }
}

const dead = (provider = 'isolarcloud') =>
  new ProviderRejectedError({ code: 'token_dead', provider, operation: 'api', message: 'dead' });

class Routes {
  byParam(): void {}
  @ProviderApi('xt') named(): void {}
}

describe('TokenRefreshInterceptor', () => {
  let log: string[];
  let tokens: FakeTokens;
  let interceptor: TokenRefreshInterceptor;
  let enabled: Set<string>;

  beforeEach(() => {
    log = [];
    tokens = new FakeTokens(log);
    enabled = new Set(['isolarcloud', 'xt']);
    interceptor = new TokenRefreshInterceptor(
      tokens,
      { sessionId: () => undefined },
      { has: (id) => enabled.has(id), displayName: (id) => id.toUpperCase() },
    );
  });

  function context(
    req: Partial<AuthenticatedRequest>,
    handler = Routes.prototype.byParam,
  ): ExecutionContext {
    return {
      getHandler: () => handler,
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => req }),
    } as unknown as ExecutionContext;
  }
  const withSession = (provider = 'isolarcloud') =>
    context({
      params: { provider },
      authSession: { id: 's1' } as AuthenticatedRequest['authSession'],
    });

  /** A handler that answers with the next outcome on each run (an Error is thrown). */
  function handler(...outcomes: unknown[]): CallHandler & { runs: number } {
    const h = {
      runs: 0,
      handle: () =>
        defer(async () => {
          const outcome = outcomes[h.runs++];
          log.push(`handler run ${h.runs}`);
          if (outcome instanceof Error) throw outcome;
          return outcome;
        }),
    };
    return h;
  }

  const run = async (ctx: ExecutionContext, h: CallHandler) =>
    lastValueFrom(await interceptor.intercept(ctx, h));

  it('makes sure the token is fresh before the handler runs, and runs it once', async () => {
    const h = handler('ok');
    await expect(run(withSession(), h)).resolves.toBe('ok');
    expect(log).toEqual(['ensureFresh s1 isolarcloud', 'handler run 1']);
  });

  it('forces one refresh and re-runs the handler once when the provider refuses the token', async () => {
    const h = handler(dead(), 'second');
    await expect(run(withSession(), h)).resolves.toBe('second');
    expect(log).toEqual([
      'ensureFresh s1 isolarcloud',
      'handler run 1',
      'refresh s1 isolarcloud force=true',
      'handler run 2',
    ]);
  });

  it('answers login_required (401) when the refreshed token is refused too', async () => {
    const h = handler(dead(), dead(), 'never');
    const err = await run(withSession(), h).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginRequiredError);
    expect(err).toMatchObject({
      code: 'login_required',
      status: 401,
      provider: 'isolarcloud',
      operation: 'api',
    });
    expect((err as Error).cause).toBeInstanceOf(ProviderRejectedError);
    expect(h.runs).toBe(2);
    expect(log.filter((l) => l.startsWith('refresh'))).toHaveLength(1);
  });

  it('passes any other error through without refreshing or re-running', async () => {
    const limited = new ProviderRejectedError({
      code: 'rate_limited',
      provider: 'isolarcloud',
      message: 'slow',
    });
    const h = handler(limited);
    await expect(run(withSession(), h)).rejects.toBe(limited);
    expect(h.runs).toBe(1);
    expect(log.some((l) => l.startsWith('refresh'))).toBe(false);
  });

  it("does not refresh this route's provider for another provider's dead token", async () => {
    const other = dead('tencent-ciam');
    await expect(run(withSession(), handler(other))).rejects.toBe(other);
    expect(log.some((l) => l.startsWith('refresh'))).toBe(false);
  });

  it('surfaces a failed forced refresh (dead grant) and does not re-run the handler', async () => {
    tokens.refreshError = new LoginRequiredError({
      code: 'login_required',
      provider: 'isolarcloud',
      message: 'again',
    });
    const h = handler(dead(), 'never');
    await expect(run(withSession(), h)).rejects.toBe(tokens.refreshError);
    expect(h.runs).toBe(1);
  });

  it('prefers the @ProviderApi() provider over the :provider parameter', async () => {
    const ctx = context(
      { params: { provider: 'isolarcloud' }, authSession: { id: 's1' } as never },
      Routes.prototype.named,
    );
    await run(ctx, handler('ok'));
    expect(log[0]).toBe('ensureFresh s1 xt');
  });

  it('answers 401 before the handler without a session', async () => {
    const h = handler('never');
    await expect(
      interceptor.intercept(context({ params: { provider: 'xt' } }), h),
    ).rejects.toBeInstanceOf(SessionRequiredError);
    expect(log).toEqual([]);
  });

  it.each([
    [{ params: { provider: 'oidc' } }, 'provider_disabled', 404],
    [{ params: {} }, 'invalid_config', 500],
  ])('refuses a route whose provider is not usable (%j)', async (req, code, status) => {
    const err = await interceptor
      .intercept(context({ ...req, authSession: { id: 's1' } as never }), handler('never'))
      .catch((e: AuthCodeError) => e);
    expect(err).toMatchObject({ code, status });
    expect(log).toEqual([]);
  });
});
