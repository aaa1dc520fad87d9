import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Profile } from '../../core/profile';
import type { SessionRecord } from '../../stores/token-store.interface';
import type { AuthenticatedRequest } from '../session/authenticated-request';

const requestOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>();

/**
 * The logged-in user ({@link Profile}) of a route `SessionGuard` protects; undefined on
 * `@Public()` routes. Never carries a token.
 *
 * @example `me(@CurrentUser() user: Profile) { return user; }`
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Profile | undefined => requestOf(ctx).authSession?.user,
);

/**
 * The session record (id, user, providers with grants) of a route `SessionGuard` protects;
 * undefined on `@Public()` routes.
 */
export const CurrentSession = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): SessionRecord | undefined => requestOf(ctx).authSession,
);
