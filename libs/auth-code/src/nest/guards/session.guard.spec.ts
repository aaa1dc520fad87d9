import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProviderRegistry } from '../../core/provider-registry';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { MemoryTokenLock } from '../../stores/memory-token.lock';
import { MemoryTokenStore } from '../../stores/memory-token.store';
import type { SessionRecord, TokenStore } from '../../stores/token-store.interface';
import { TokenService } from '../../tokens/token.service';
import { Public } from '../decorators/public.decorator';
import { AuthSessionService } from '../session/auth-session.service';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { CookieSigner } from '../http/cookie-signer';
import { SessionRequiredError } from '../session/session-required.error';
import { SessionGuard } from './session.guard';

/** A memory store that counts the reads the guard makes. */
class CountingStore extends MemoryTokenStore {
  sessionReads = 0;
  grantReads = 0;
  override getSession(id: string): Promise<SessionRecord | undefined> {
    this.sessionReads++;
    return super.getSession(id);
  }
  override peekSession(id: string): SessionRecord | null {
    this.sessionReads++;
    return super.peekSession(id);
  }
  override getGrant(...args: Parameters<TokenStore['getGrant']>) {
    this.grantReads++;
    return super.getGrant(...args);
  }
}

/** A signer that counts HMAC verifications. */
class CountingSigner extends CookieSigner {
  verifications = 0;
  override unsign(signed: string | undefined): string | undefined {
    this.verifications++;
    return super.unsign(signed);
  }
}

class Routes {
  protectedRoute(): void {}
  @Public() openRoute(): void {}
}
@Public()
class OpenController {
  anyRoute(): void {}
}

function context(
  req: Partial<AuthenticatedRequest>,
  handler: () => void = Routes.prototype.protectedRoute,
  cls: object = Routes,
): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

/** canActivate's outcome as a promise (it answers synchronously with the memory store). */
const activate = (guard: SessionGuard, ctx: ExecutionContext): Promise<boolean> =>
  Promise.resolve().then(() => guard.canActivate(ctx));

describe('SessionGuard', () => {
  let store: CountingStore;
  let signer: CountingSigner;
  let tokens: TokenService;
  let guard: SessionGuard;
  let session: SessionRecord;
  let cookie: string;

  beforeEach(async () => {
    store = new CountingStore(undefined, { sweepIntervalMs: 0 });
    signer = new CountingSigner('unit-test-secret-0123456789-abcdefghij');
    tokens = new TokenService({
      store,
      lock: new MemoryTokenLock(),
      engine: new AuthCodeEngine(),
      registry: new ProviderRegistry([]),
      logger: { warn: () => undefined },
    });
    const sessions = new AuthSessionService(tokens, signer, { secure: false, ttlSeconds: 3600 });
    guard = new SessionGuard(sessions, new Reflector(), { loginPath: '/' });
    session = await tokens.saveLogin(undefined, {
      provider: 'p',
      profile: { provider: 'p', id: 'u1', displayName: 'User One' },
      tokenSet: { accessToken: 'at', tokenType: 'Bearer', expiresAt: Date.now() + 3600_000 },
    });
    cookie = `other=1; auth_session=${signer.sign(session.id)}`;
    store.sessionReads = store.grantReads = signer.verifications = 0;
  });

  it('decides without a promise on the memory store, and with one on a store that needs I/O', async () => {
    expect(guard.canActivate(context({ method: 'GET', headers: { cookie } }))).toBe(true);
    const io: TokenStore = Object.assign(Object.create(store) as TokenStore, {
      peekSession: undefined,
    });
    const slow = new TokenService({
      store: io,
      lock: new MemoryTokenLock(),
      engine: new AuthCodeEngine(),
      registry: new ProviderRegistry([]),
    });
    const viaPromise = new SessionGuard(
      new AuthSessionService(slow, signer, { secure: false, ttlSeconds: 3600 }),
      new Reflector(),
      { loginPath: '/' },
    ).canActivate(context({ method: 'GET', headers: { cookie } }));
    expect(viaPromise).toBeInstanceOf(Promise);
    await expect(viaPromise).resolves.toBe(true);
  });

  it('lets a live session through with one store read and attaches the session and its user', async () => {
    const req: Partial<AuthenticatedRequest> = { method: 'GET', headers: { cookie } };
    await expect(activate(guard, context(req))).resolves.toBe(true);
    expect(req.authSession?.id).toBe(session.id);
    expect(req.user).toEqual({ provider: 'p', id: 'u1', displayName: 'User One' });
    expect([store.sessionReads, store.grantReads]).toEqual([1, 0]);
  });

  it('verifies the cookie signature once per cookie value, and reads the store every time', async () => {
    for (let i = 0; i < 3; i++) {
      await activate(guard, context({ method: 'GET', headers: { cookie } }));
    }
    expect(signer.verifications).toBe(1);
    expect(store.sessionReads).toBe(3);
  });

  it('refuses a forged cookie without reading the store', async () => {
    const forged = `auth_session=${session.id}.${'A'.repeat(43)}`;
    const attempt = activate(
      guard,
      context({ method: 'GET', originalUrl: '/me', headers: { cookie: forged } }),
    );
    await expect(attempt).rejects.toBeInstanceOf(SessionRequiredError);
    expect(store.sessionReads).toBe(0);
  });

  it('refuses a correctly signed cookie whose session is gone (logged out)', async () => {
    await tokens.logout(session.id);
    const attempt = activate(
      guard,
      context({ method: 'GET', originalUrl: '/me', headers: { cookie } }),
    );
    await expect(attempt).rejects.toBeInstanceOf(SessionRequiredError);
  });

  it('sends a browser to the login page with returnTo the page it asked for', async () => {
    const err = await activate(
      guard,
      context({ method: 'GET', originalUrl: '/api/x/profile?a=1', headers: {} }),
    ).catch((e: SessionRequiredError) => e);
    expect(err).toMatchObject({
      code: 'login_required',
      status: 401,
      loginUrl: '/?returnTo=%2Fapi%2Fx%2Fprofile%3Fa%3D1',
    });
  });

  it('returns a non-GET request to / and appends returnTo to a configured login path with a query', async () => {
    const post = await activate(
      guard,
      context({ method: 'POST', originalUrl: '/api/x', headers: {} }),
    ).catch((e: SessionRequiredError) => e);
    expect((post as SessionRequiredError).loginUrl).toBe('/');
    const custom = new SessionGuard(
      new AuthSessionService(tokens, signer, { secure: false, ttlSeconds: 1 }),
      new Reflector(),
      {
        loginPath: '/login?lang=en',
      },
    );
    const get = await activate(
      custom,
      context({ method: 'GET', originalUrl: '/me', headers: {} }),
    ).catch((e: SessionRequiredError) => e);
    expect((get as SessionRequiredError).loginUrl).toBe('/login?lang=en&returnTo=%2Fme');
  });

  it.each([
    ['a @Public() route', Routes.prototype.openRoute, Routes],
    ['a route of a @Public() controller', OpenController.prototype.anyRoute, OpenController],
  ])('opens %s without reading the cookie or the store', async (_name, handler, cls) => {
    const req: Partial<AuthenticatedRequest> = { method: 'GET', headers: { cookie } };
    await expect(activate(guard, context(req, handler, cls))).resolves.toBe(true);
    expect([signer.verifications, store.sessionReads]).toEqual([0, 0]);
    expect(req.authSession).toBeUndefined();
  });

  it('lets a subclass refuse a session through the handleSession hook', async () => {
    class AdminsOnly extends SessionGuard {
      protected override handleSession(
        s: SessionRecord,
        req: AuthenticatedRequest,
        c: ExecutionContext,
      ): boolean {
        return s.user.id === 'admin' && super.handleSession(s, req, c);
      }
    }
    const sessions = new AuthSessionService(tokens, signer, { secure: false, ttlSeconds: 3600 });
    const admins = new AdminsOnly(sessions, new Reflector(), { loginPath: '/' });
    await expect(activate(admins, context({ method: 'GET', headers: { cookie } }))).resolves.toBe(
      false,
    );
  });
});
