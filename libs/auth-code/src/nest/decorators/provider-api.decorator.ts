import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { HttpRequestLike } from '../http/http-request';

/** Metadata key set by {@link ProviderApi}. */
export const PROVIDER_API_KEY = 'AUTH_CODE:PROVIDER_API';

/**
 * Names the provider whose API a route (or controller) calls, for `TokenRefreshInterceptor` and
 * `@ProviderToken()`. Without it they use the route's `:provider` parameter.
 *
 * @example
 * ```ts
 * @Get('plants')
 * @ProviderApi('isolarcloud')
 * @UseInterceptors(TokenRefreshInterceptor)
 * plants(@ProviderToken() token: string) { ... }
 * ```
 */
export const ProviderApi = (provider: string): MethodDecorator & ClassDecorator =>
  SetMetadata(PROVIDER_API_KEY, provider);

/**
 * The provider a route works with: `@ProviderApi()` on the handler, else on the controller, else
 * the `:provider` route parameter. Undefined when none names one.
 */
export function routeProvider(ctx: ExecutionContext): string | undefined {
  const named: unknown =
    Reflect.getMetadata(PROVIDER_API_KEY, ctx.getHandler()) ??
    Reflect.getMetadata(PROVIDER_API_KEY, ctx.getClass());
  if (typeof named === 'string') return named;
  const param: unknown = ctx.switchToHttp().getRequest<HttpRequestLike>().params?.provider;
  return typeof param === 'string' && param !== '' ? param : undefined;
}
