import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AuthCodeError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import {
  AUTH_CODE_RESOLVED_OPTIONS,
  AUTH_CODE_THROTTLER_STORAGE,
} from '../options/auth-code.constants';
import type { ResolvedAuthCodeOptions } from '../options/auth-code.options';

/** Window of {@link AuthRateLimitGuard}'s limit: one minute. */
export const AUTH_RATE_LIMIT_TTL_MS = 60_000;

/**
 * Rate-limits the login, callback and logout routes per client (SECURITY row 20): at most
 * `rateLimit` requests per minute (`AUTH_RATE_LIMIT`, default 300), then 429 with `Retry-After`.
 * Put it on the auth controller (`@UseGuards(AuthRateLimitGuard)`).
 *
 * `@nestjs/throttler`'s guard with its own settings and storage, so it neither needs nor disturbs
 * an app's own `ThrottlerModule`. Every route it guards shares one budget per client. Override
 * the protected hooks (`getTracker` for proxies, `generateKey`) to change who counts as a client.
 * The hit storage is in memory, per process.
 */
@Injectable()
export class AuthRateLimitGuard extends ThrottlerGuard {
  constructor(
    @Inject(AUTH_CODE_RESOLVED_OPTIONS) options: Pick<ResolvedAuthCodeOptions, 'rateLimit'>,
    @Inject(AUTH_CODE_THROTTLER_STORAGE) storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    super(
      { throttlers: [{ name: 'default', ttl: AUTH_RATE_LIMIT_TTL_MS, limit: options.rateLimit }] },
      storage,
      reflector,
    );
  }

  /** One budget per client across every guarded route, not one per route. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `auth-code:${name}:${tracker}`;
  }

  /**
   * Over the limit: the library's own `rate_limited` error (429 with `Retry-After`, JSON for APIs,
   * the error page for browsers, through `AuthCodeExceptionFilter`) instead of the throttler's.
   */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new AuthCodeError({
      code: 'rate_limited',
      message: Messages.rateLimited(detail.timeToBlockExpire),
      retryAfterSeconds: detail.timeToBlockExpire,
    });
  }
}
