import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ProviderRegistry, providerDisabledError } from '../../core/provider-registry';
import { AuthCodeError, StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { AUTH_CODE_STRATEGIES } from '../options/auth-code.constants';
import type { HttpRequestLike } from '../http/http-request';
import type { HttpResponseLike } from '../http/http-response';
import type {
  AuthCodeAuthenticateOptions,
  AuthCodeLogin,
  EngineOAuth2Strategy,
} from '../strategies/engine-oauth2.strategy';

/** What the guard leaves on the request for the route handler. */
export interface AuthCodeRequestState {
  /** Authorize leg: where to send the browser. */
  authCodeRedirect?: string;
  /** Callback leg: the completed login. */
  user?: AuthCodeLogin | unknown;
}

type Outcome = { redirect: string } | { user: AuthCodeLogin };

/** A request as the guard reads it (Express or Fastify). */
export type AuthCodeGuardRequest = HttpRequestLike & { query?: Record<string, unknown> };

/**
 * The request of a route `AuthCodeLoginGuard` guards: on `/login`, `authCodeRedirect` is where to
 * send the browser; on `/callback`, `user` is the completed login.
 */
export type AuthCodeRequest = AuthCodeGuardRequest & {
  /** Authorize leg: the provider's login URL. */
  authCodeRedirect?: string;
  /** Callback leg: the completed login. */
  user?: AuthCodeLogin;
};

/**
 * Guards `/auth/:provider/login` and `/auth/:provider/callback`: runs the provider's Passport
 * strategy and, unlike `@nestjs/passport`'s AuthGuard, never hides the reason of a failure behind a
 * bare 401 — the strategy's typed {@link AuthCodeError} (with the provider's own code and message)
 * is what the route throws. Override the protected hooks to customise it.
 */
@Injectable()
export class AuthCodeLoginGuard implements CanActivate {
  constructor(
    protected readonly registry: ProviderRegistry,
    @Inject(AUTH_CODE_STRATEGIES) protected readonly strategies: Map<string, EngineOAuth2Strategy>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = this.getRequest(context);
    const providerId = this.getProviderId(req);
    const strategy = this.strategies.get(providerId);
    if (!strategy || !this.registry.has(providerId)) throw providerDisabledError(providerId);
    const outcome = await this.run(strategy, req, this.getAuthenticateOptions(context));
    return this.handleOutcome(outcome, req as AuthCodeGuardRequest & AuthCodeRequestState, context);
  }

  /** The request. */
  protected getRequest(context: ExecutionContext): AuthCodeGuardRequest {
    return context.switchToHttp().getRequest<AuthCodeGuardRequest>();
  }

  /** The response, where the login attempt's cookie is set. */
  protected getResponse(context: ExecutionContext): HttpResponseLike {
    return context.switchToHttp().getResponse<HttpResponseLike>();
  }

  /** The provider id, from the `:provider` route parameter. */
  protected getProviderId(req: AuthCodeGuardRequest): string {
    const id = req.params?.provider;
    return typeof id === 'string' ? id : '';
  }

  /** Options handed to the strategy; by default `returnTo` from the query. */
  protected getAuthenticateOptions(context: ExecutionContext): AuthCodeAuthenticateOptions {
    return {
      returnTo: this.getRequest(context).query?.returnTo,
      response: this.getResponse(context),
    };
  }

  /** Puts the outcome on the request; override to add checks (e.g. allowed users). */
  protected handleOutcome(
    outcome: Outcome,
    req: AuthCodeGuardRequest & AuthCodeRequestState,
    _context: ExecutionContext,
  ): boolean {
    if ('redirect' in outcome) req.authCodeRedirect = outcome.redirect;
    else req.user = outcome.user;
    return true;
  }

  /** Turns a strategy failure into the error the route throws. */
  protected handleFailure(err: unknown, providerId: string): Error {
    if (err instanceof AuthCodeError) return err;
    return new StateError({
      code: 'invalid_callback',
      provider: providerId,
      operation: 'callback',
      message: err instanceof Error ? err.message : Messages.stateUnknown(),
      cause: err,
    });
  }

  /** Runs the strategy the way passport's middleware does, resolving instead of writing the response. */
  private run(
    strategy: EngineOAuth2Strategy,
    req: AuthCodeGuardRequest,
    options: AuthCodeAuthenticateOptions,
  ): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const attempt = Object.create(strategy) as EngineOAuth2Strategy & Record<string, unknown>;
      const id = strategy.name ?? '';
      attempt.success = (user: AuthCodeLogin) => resolve({ user });
      attempt.redirect = (url: string) => resolve({ redirect: url });
      attempt.fail = (info: unknown) => reject(this.handleFailure(info, id));
      attempt.error = (err: unknown) => reject(this.handleFailure(err, id));
      attempt.pass = () => reject(this.handleFailure(new Error('Nothing to authenticate'), id));
      attempt.authenticate(req, options);
    });
  }
}
