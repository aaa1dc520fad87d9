import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SessionRecord } from '../../stores/token-store.interface';
import { AUTH_CODE_RESOLVED_OPTIONS } from '../options/auth-code.constants';
import type { ResolvedAuthCodeOptions } from '../options/auth-code.options';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AuthSessionService } from '../session/auth-session.service';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { SessionRequiredError } from '../session/session-required.error';

/**
 * Lets a request through when it has a live session, and attaches the session and its user
 * (`@CurrentSession()`, `@CurrentUser()`, `req.user`). Usable per route (`@UseGuards`) or
 * globally (`APP_GUARD`) with `@Public()` routes opting out.
 *
 * Without a session it throws {@link SessionRequiredError}; `AuthCodeExceptionFilter` answers API
 * clients with 401 JSON and redirects browsers (`Accept: text/html`) to the login page
 * (`loginPath`, default `/`) with `?returnTo=` the page they asked for.
 *
 * Hot path, by design: `@Public()` is two metadata reads; otherwise one cookie is read
 * (`readCookie`, no full cookie parsing), its HMAC is verified once per cookie value and process
 * (memoized, see `VerifiedCookies`: the 256-bit id is what the store lookup authenticates; the
 * signature only turns away forged cookies before they cost a store read), then exactly one
 * `store.getSession`. No Passport, no per-request objects besides the store's answer.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    protected readonly sessions: AuthSessionService,
    protected readonly reflector: Reflector,
    @Inject(AUTH_CODE_RESOLVED_OPTIONS)
    protected readonly options: Pick<ResolvedAuthCodeOptions, 'loginPath'>,
  ) {}

  /**
   * Lets the request through with its session attached, or throws {@link SessionRequiredError}.
   * With a store that answers without I/O (memory) it decides synchronously, without a promise.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic(context)) return true;
    const req = this.getRequest(context);
    const found = this.sessions.lookup(req);
    return found instanceof Promise
      ? found.then((session) => this.decide(session, req, context))
      : this.decide(found, req, context);
  }

  private decide(
    session: SessionRecord | null | undefined,
    req: AuthenticatedRequest,
    context: ExecutionContext,
  ): boolean {
    if (!session) throw this.handleUnauthenticated(req, context);
    return this.handleSession(session, req, context);
  }

  /** Whether the route or its controller is `@Public()`. */
  protected isPublic(context: ExecutionContext): boolean {
    return (
      this.reflector.get<boolean>(IS_PUBLIC_KEY, context.getHandler()) === true ||
      this.reflector.get<boolean>(IS_PUBLIC_KEY, context.getClass()) === true
    );
  }

  /** The request. */
  protected getRequest(context: ExecutionContext): AuthenticatedRequest {
    return context.switchToHttp().getRequest<AuthenticatedRequest>();
  }

  /** Attaches the session; override to add checks (roles, allowed users) and return false. */
  protected handleSession(
    session: SessionRecord,
    req: AuthenticatedRequest,
    _context: ExecutionContext,
  ): boolean {
    req.authSession = session;
    req.user = session.user;
    return true;
  }

  /** The error for a request without a live session; override to answer differently. */
  protected handleUnauthenticated(req: AuthenticatedRequest, _context: ExecutionContext): Error {
    return new SessionRequiredError(this.loginUrl(req));
  }

  /** `loginPath?returnTo=<the page asked for>` (GET/HEAD only; other methods return to `/`). */
  protected loginUrl(req: AuthenticatedRequest): string {
    const path = this.options.loginPath;
    const returnTo = req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : '/';
    if (!returnTo || returnTo === '/' || returnTo === path) return path;
    return `${path}${path.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(returnTo)}`;
  }
}
