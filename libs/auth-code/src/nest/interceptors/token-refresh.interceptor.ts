import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { ProviderRegistry, requireEnabledProvider } from '../../core/provider-registry';
import { AuthCodeError, LoginRequiredError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { TokenService } from '../../tokens/token.service';
import { routeProvider } from '../decorators/provider-api.decorator';
import { AuthSessionService } from '../session/auth-session.service';
import { sessionIdOf, type AuthenticatedRequest } from '../session/authenticated-request';
import { SessionRequiredError } from '../session/session-required.error';

/** What the interceptor needs of the token service. */
export type TokenRefresher = Pick<TokenService, 'ensureFresh' | 'refresh'>;

/**
 * Keeps a route's provider token working:
 * 1. before the handler, makes sure the token is fresh (`ensureFresh`: refreshes when due,
 *    single-flight per session and provider; a token this process has seen fresh costs no store
 *    read);
 * 2. when the handler fails because the provider refused the token (`token_dead`: an API 401,
 *    iSolarCloud E00003/E900/E912/E914/E919, XT TOKEN_INVALID), forces ONE refresh and runs the
 *    handler ONCE more;
 * 3. when that run fails the same way, answers 401 `login_required` (log in with the provider
 *    again). Any other error passes through untouched.
 *
 * The provider is `@ProviderApi('<id>')` or the `:provider` route parameter. Apply it where a
 * route calls a provider API (`@UseInterceptors(TokenRefreshInterceptor)`), not globally. The
 * handler must be safe to run twice and must not write the response itself (`@Res()`).
 */
@Injectable()
export class TokenRefreshInterceptor implements NestInterceptor {
  constructor(
    @Inject(TokenService) protected readonly tokens: TokenRefresher,
    @Inject(AuthSessionService) protected readonly sessions: Pick<AuthSessionService, 'sessionId'>,
    @Inject(ProviderRegistry)
    protected readonly registry: Pick<ProviderRegistry, 'has' | 'displayName'>,
  ) {}

  /** Ensures a fresh token, runs the handler, and on `token_dead` refreshes once and re-runs it once. */
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const provider = this.getProvider(context);
    const sessionId = this.getSessionId(context);
    // The session SessionGuard just read for this request: only the grant is read again.
    const { authSession } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.tokens.ensureFresh(sessionId, provider, authSession);
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (!this.isTokenDead(err, provider)) return throwError(() => err);
        return from(
          this.tokens.refresh(sessionId, provider, { force: true, session: authSession }),
        ).pipe(
          mergeMap(() => next.handle()),
          catchError((again: unknown) =>
            throwError(() =>
              this.isTokenDead(again, provider) ? this.handleSecondFailure(provider, again) : again,
            ),
          ),
        );
      }),
    );
  }

  /** The provider of the route; throws for a route that names none or a disabled one. */
  protected getProvider(context: ExecutionContext): string {
    return requireEnabledProvider(this.registry, routeProvider(context));
  }

  /** The session id (from `SessionGuard`, else the cookie); throws 401 without one. */
  protected getSessionId(context: ExecutionContext): string {
    const id = sessionIdOf(
      context.switchToHttp().getRequest<AuthenticatedRequest>(),
      this.sessions,
    );
    if (!id) throw new SessionRequiredError();
    return id;
  }

  /** Whether an error means the provider no longer accepts this provider's access token. */
  protected isTokenDead(err: unknown, provider: string): boolean {
    return (
      err instanceof AuthCodeError &&
      err.code === 'token_dead' &&
      (err.provider ?? provider) === provider
    );
  }

  /** The error when a freshly refreshed token is refused too: the user must log in again. */
  protected handleSecondFailure(provider: string, cause: unknown): Error {
    return new LoginRequiredError({
      code: 'login_required',
      provider,
      operation: 'api',
      message: Messages.apiRetryFailed(this.registry.displayName(provider)),
      cause,
    });
  }
}
