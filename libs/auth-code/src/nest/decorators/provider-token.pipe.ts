import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import { ProviderRegistry, requireEnabledProvider } from '../../core/provider-registry';
import { TokenService } from '../../tokens/token.service';
import { AuthSessionService } from '../session/auth-session.service';
import { sessionIdOf, type AuthenticatedRequest } from '../session/authenticated-request';
import { SessionRequiredError } from '../session/session-required.error';

/** What `@ProviderToken()` hands to {@link ProviderTokenPipe}. */
export interface ProviderTokenRequest {
  /** The provider, when the decorator or the route names one. */
  provider: string | undefined;
  /** The request (for its session). */
  request: AuthenticatedRequest;
}

/**
 * Resolves `@ProviderToken()` to a valid access token string of the session's grant, through
 * {@link TokenService.getValidToken} (refreshes first when due, single-flight). Throws 401
 * `login_required` without a session or grant, 404 for a provider that is not enabled.
 */
@Injectable()
export class ProviderTokenPipe implements PipeTransform<ProviderTokenRequest, Promise<string>> {
  constructor(
    @Inject(TokenService) private readonly tokens: Pick<TokenService, 'getValidToken'>,
    @Inject(AuthSessionService) private readonly sessions: Pick<AuthSessionService, 'sessionId'>,
    @Inject(ProviderRegistry) private readonly registry: Pick<ProviderRegistry, 'has'>,
  ) {}

  /** The access token. */
  async transform({ provider, request }: ProviderTokenRequest): Promise<string> {
    const enabled = requireEnabledProvider(this.registry, provider);
    const sessionId = sessionIdOf(request, this.sessions);
    if (!sessionId) throw new SessionRequiredError();
    const valid = await this.tokens.getValidToken(sessionId, enabled, request.authSession);
    return valid.tokenSet.accessToken;
  }
}
