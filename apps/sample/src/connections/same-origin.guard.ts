import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import {
  AUTH_CODE_RESOLVED_OPTIONS,
  isCrossSite,
  StateError,
  type HttpRequestLike,
  type ResolvedAuthCodeOptions,
} from 'nestjs-auth-code';

/**
 * Refuses a state-changing request another site made, as `POST /auth/logout` does: 403
 * `cross_site_request` when the browser says so (`Sec-Fetch-Site: cross-site`/`same-site`, or an
 * `Origin` other than `AUTH_BASE_URL`'s), before anything is read or changed. Defence in depth
 * beside the SameSite=Lax session cookie.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly origin: string;

  constructor(
    @Inject(AUTH_CODE_RESOLVED_OPTIONS) options: Pick<ResolvedAuthCodeOptions, 'baseUrl'>,
  ) {
    this.origin = new URL(options.baseUrl).origin.toLowerCase();
  }

  /** True for a request of this app's own pages (or of a client that sends neither header). */
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<HttpRequestLike>();
    if (!isCrossSite(req.headers, this.origin)) return true;
    throw new StateError({
      code: 'cross_site_request',
      operation: 'session',
      message: 'This change was requested by another site; use the buttons of this app',
    });
  }
}
