import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { ProviderRegistry } from '../../core/provider-registry';
import { acme, loggedIn } from '../../../../../test/support/known-session.kit';
import type { SessionRecord } from '../../stores/token-store.interface';
import { TokenRefreshInterceptor } from './token-refresh.interceptor';

function context(req: { params: object; authSession?: SessionRecord }): ExecutionContext {
  return {
    getHandler: () => function route() {},
    getClass: () => class Routes {},
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const handler: CallHandler = { handle: () => of('ok') };

describe('TokenRefreshInterceptor store reads', () => {
  it('reads only the grant after SessionGuard attached the session', async () => {
    const { store, service, session } = await loggedIn();
    const interceptor = new TokenRefreshInterceptor(
      service,
      { sessionId: () => undefined },
      new ProviderRegistry([acme]),
    );
    const ctx = context({ params: { provider: 'acme' }, authSession: session });
    await expect(lastValueFrom(await interceptor.intercept(ctx, handler))).resolves.toBe('ok');
    expect(store.reads).toEqual(['grant acme']);
  });

  it('reads nothing for a token this process has seen fresh (the handler reads it itself)', async () => {
    const { store, loginService, session } = await loggedIn();
    const interceptor = new TokenRefreshInterceptor(
      loginService,
      { sessionId: () => undefined },
      new ProviderRegistry([acme]),
    );
    const ctx = context({ params: { provider: 'acme' }, authSession: session });
    await expect(lastValueFrom(await interceptor.intercept(ctx, handler))).resolves.toBe('ok');
    expect(store.reads).toEqual([]);
    // a second request: still nothing; after a logout the memo is gone and the store is asked
    await lastValueFrom(await interceptor.intercept(ctx, handler));
    expect(store.reads).toEqual([]);
    await loginService.logout(session.id);
    store.reads.length = 0;
    await expect(interceptor.intercept(ctx, handler)).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(store.reads).toEqual(['grant acme']);
  });

  it('reads the session too on a route without the guard (session id from the cookie)', async () => {
    const { store, service, session } = await loggedIn();
    const interceptor = new TokenRefreshInterceptor(
      service,
      { sessionId: () => session.id },
      new ProviderRegistry([acme]),
    );
    const ctx = context({ params: { provider: 'acme' } });
    await expect(lastValueFrom(await interceptor.intercept(ctx, handler))).resolves.toBe('ok');
    expect(store.reads).toEqual(['session', 'grant acme']);
  });
});
