import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { routeProvider } from './provider-api.decorator';
import { ProviderTokenPipe, type ProviderTokenRequest } from './provider-token.pipe';

const providerTokenRequest = createParamDecorator(
  (provider: string | undefined, ctx: ExecutionContext): ProviderTokenRequest => ({
    provider: provider ?? routeProvider(ctx),
    request: ctx.switchToHttp().getRequest<AuthenticatedRequest>(),
  }),
);

/**
 * Injects a valid access token string of the session's grant for `provider` (refreshed first when
 * due, through `TokenService`). Without an argument: the provider of `@ProviderApi()` or the
 * `:provider` route parameter. Keep the token server-side: never return it to the browser.
 *
 * Resolved again on every run of the handler, so after `TokenRefreshInterceptor` forced a refresh
 * the re-run gets the new token.
 *
 * @example `plants(@ProviderToken('isolarcloud') token: string) { ... }`
 */
export const ProviderToken = (provider?: string): ParameterDecorator =>
  providerTokenRequest(provider, ProviderTokenPipe);
