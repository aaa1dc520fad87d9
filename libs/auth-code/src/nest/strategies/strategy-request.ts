import type { LoginTransaction } from '../../stores/token-store.interface';
import type { HttpRequestLike } from '../http/http-request';
import type { CookieWritable } from '../http/http-response';

/** A request as the strategy reads it (Express or Fastify: both parse `query`). */
export type StrategyRequest = HttpRequestLike & { query?: Record<string, unknown> };

/** What one login request carries between passport-oauth2's steps, under one library-owned key. */
export interface LoginRequestState {
  /** Where the login attempt's cookies are written. */
  response: CookieWritable;
  /** The attempt the callback completed (set by the state store, read by `validate`). */
  transaction?: LoginTransaction;
}

const STATE = Symbol('nestjs-auth-code:login');

/** Starts a login request's state (the strategy, before passport-oauth2 runs). */
export function beginLoginRequest(
  req: StrategyRequest,
  response: CookieWritable,
): LoginRequestState {
  const state: LoginRequestState = { response };
  Object.defineProperty(req, STATE, { value: state, configurable: true });
  return state;
}

/** The login request's state; throws when the strategy did not begin it (a wiring mistake). */
export function loginRequest(req: unknown): LoginRequestState {
  const state = (req as { [STATE]?: LoginRequestState })[STATE];
  if (!state) throw new Error('nestjs-auth-code: the login request was not begun by its strategy');
  return state;
}
