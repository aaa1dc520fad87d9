import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { SessionRecord } from '../../stores/token-store.interface';
import type { ValidToken } from '../../tokens/token.service';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { SessionRequiredError } from '../session/session-required.error';
import { CurrentSession, CurrentUser } from './current-user.decorator';
import { PROVIDER_API_KEY, ProviderApi, routeProvider } from './provider-api.decorator';
import { ProviderToken } from './provider-token.decorator';
import { ProviderTokenPipe } from './provider-token.pipe';
import { IS_PUBLIC_KEY, Public } from './public.decorator';

type ParamMeta = {
  factory: (data: unknown, ctx: ExecutionContext) => unknown;
  data: unknown;
  pipes: unknown[];
};

/** The factory, data and pipes a parameter decorator registered (how Nest will call it). */
function paramOf(decorate: ParameterDecorator): ParamMeta {
  class Target {
    handler(_value: unknown): void {}
  }
  decorate(Target.prototype, 'handler', 0);
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Target, 'handler') as Record<
    string,
    ParamMeta
  >;
  return Object.values(args)[0];
}

const session: SessionRecord = {
  id: 's1',
  user: { provider: 'xt', id: '12345678', displayName: 'Trader' },
  providers: ['xt'],
  createdAt: 0,
};

function context(
  req: Partial<AuthenticatedRequest>,
  handler: object = () => undefined,
  cls: object = class {},
) {
  return {
    getHandler: () => handler,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('@Public()', () => {
  it('marks a route and a controller', () => {
    @Public()
    class Open {
      @Public() route(): void {}
    }
    expect(Reflect.getMetadata(IS_PUBLIC_KEY, Open)).toBe(true);
    expect(Reflect.getMetadata(IS_PUBLIC_KEY, Open.prototype.route)).toBe(true);
  });
});

describe('@CurrentUser() and @CurrentSession()', () => {
  it("give the session's profile and record that SessionGuard attached", () => {
    const ctx = context({ authSession: session, user: session.user });
    expect(paramOf(CurrentUser()).factory(undefined, ctx)).toEqual(session.user);
    expect(paramOf(CurrentSession()).factory(undefined, ctx)).toBe(session);
  });

  it('give undefined on a public route without a session', () => {
    expect(paramOf(CurrentUser()).factory(undefined, context({}))).toBeUndefined();
    expect(paramOf(CurrentSession()).factory(undefined, context({}))).toBeUndefined();
  });
});

describe('routeProvider / @ProviderApi()', () => {
  class Routes {
    @ProviderApi('isolarcloud') named(): void {}
    plain(): void {}
  }
  @ProviderApi('xt')
  class XtRoutes {
    plain(): void {}
  }

  it('reads the handler, then the controller, then the :provider parameter', () => {
    const params = { provider: 'tencent-ciam' };
    expect(routeProvider(context({ params }, Routes.prototype.named, Routes))).toBe('isolarcloud');
    expect(routeProvider(context({ params }, XtRoutes.prototype.plain, XtRoutes))).toBe('xt');
    expect(routeProvider(context({ params }, Routes.prototype.plain, Routes))).toBe('tencent-ciam');
    expect(routeProvider(context({ params: {} }, Routes.prototype.plain, Routes))).toBeUndefined();
    expect(Reflect.getMetadata(PROVIDER_API_KEY, Routes.prototype.named)).toBe('isolarcloud');
  });
});

describe('@ProviderToken()', () => {
  it('hands the named provider and the request to ProviderTokenPipe', () => {
    const param = paramOf(ProviderToken('isolarcloud'));
    const req = { params: { provider: 'xt' } };
    expect(param.pipes).toEqual([ProviderTokenPipe]);
    expect(param.factory('isolarcloud', context(req))).toEqual({
      provider: 'isolarcloud',
      request: req,
    });
  });

  it("defaults to the route's provider", () => {
    const param = paramOf(ProviderToken());
    expect(param.factory(undefined, context({ params: { provider: 'xt' } }))).toMatchObject({
      provider: 'xt',
    });
  });
});

describe('ProviderTokenPipe', () => {
  const asked: string[] = [];
  const tokens = {
    getValidToken: async (sessionId: string, provider: string): Promise<ValidToken> => {
      asked.push(`${sessionId}/${provider}`);
      return {
        tokenSet: { accessToken: `token-of-${provider}`, tokenType: 'Bearer', expiresAt: 0 },
        refreshed: false,
      };
    },
  };
  const pipe = new ProviderTokenPipe(
    tokens,
    { sessionId: () => 'from-cookie' },
    { has: (id) => id !== 'oidc' },
  );

  beforeEach(() => (asked.length = 0));

  it("resolves to a valid access token of the guard's session", async () => {
    const token = await pipe.transform({
      provider: 'xt',
      request: { authSession: session } as AuthenticatedRequest,
    });
    expect(token).toBe('token-of-xt');
    expect(asked).toEqual(['s1/xt']);
  });

  it('falls back to the cookie on a route without SessionGuard', async () => {
    await pipe.transform({ provider: 'xt', request: {} as AuthenticatedRequest });
    expect(asked).toEqual(['from-cookie/xt']);
  });

  it('answers 401 without a session', async () => {
    const noCookie = new ProviderTokenPipe(
      tokens,
      { sessionId: () => undefined },
      { has: () => true },
    );
    await expect(
      noCookie.transform({ provider: 'xt', request: {} as AuthenticatedRequest }),
    ).rejects.toBeInstanceOf(SessionRequiredError);
  });

  it.each([
    ['oidc', 'provider_disabled'],
    [undefined, 'invalid_config'],
  ])('refuses provider %s with %s and asks for no token', async (provider, code) => {
    const request = { authSession: session } as AuthenticatedRequest;
    await expect(pipe.transform({ provider, request })).rejects.toMatchObject({ code });
    expect(asked).toEqual([]);
  });
});
