import type { HttpRequestLike } from '../http/http-request';
import type { Profile } from '../../core/profile';
import type { SessionRecord } from '../../stores/token-store.interface';

/** A request `SessionGuard` let through: the session and its user are attached. */
export interface AuthenticatedRequest extends HttpRequestLike {
  /** The session's user (what `@CurrentUser()` returns). */
  user?: Profile;
  /** The session record (what `@CurrentSession()` returns). */
  authSession?: SessionRecord;
}

/** Reads a session id from a request's cookie (`AuthSessionService`). */
export interface SessionIdReader {
  /** The verified session id of the request's cookie. */
  sessionId(req: Pick<HttpRequestLike, 'headers'>): string | undefined;
}

/**
 * The session id of a request: the one `SessionGuard` attached, else the cookie's (routes that
 * run without the guard). Undefined when there is none.
 */
export function sessionIdOf(
  req: AuthenticatedRequest,
  sessions: SessionIdReader,
): string | undefined {
  return req.authSession?.id ?? sessions.sessionId(req);
}
