import type { AuthOperation } from '../errors/operation';

/** The operations that get a span and metrics of their own. */
export type TelemetryOperation =
  /** The authorize leg: a login attempt begun, the provider's URL built. */
  | 'authorize'
  /** The code exchange at the token endpoint. */
  | 'exchange'
  /** Accepting the exchange's answer: id_token checks, userinfo, the profile. */
  | 'login'
  /** A coordinated refresh of one grant (lock, waits, retries, the store write). */
  | 'refresh'
  /** A userinfo call. */
  | 'userinfo'
  /** A revocation call. */
  | 'revoke'
  /** A described provider API call. */
  | 'api';

/**
 * How a coordinated refresh ended (`refresh.outcome`):
 * - `refreshed`: this instance called the provider and got a new token;
 * - `joined`: another instance's (or an earlier caller's) refresh was used, no upstream call here;
 * - `still_valid`: nothing to refresh (no refresh token, the access token still valid);
 * - `login_required`: the grant is dead or gone;
 * - `busy`: another instance held the refresh lock longer than this one would wait;
 * - `failed`: any other failure (the provider down, the store down).
 */
export type RefreshOutcome =
  'refreshed' | 'joined' | 'still_valid' | 'login_required' | 'busy' | 'failed';

/**
 * What an operation may add to its span. A closed list on purpose: each value is a number, an
 * enumeration or a name from configuration, never a token, code, secret, cookie, session id or
 * state.
 */
export interface OperationAttributes {
  /** Callers in this process that shared this refresh instead of starting their own. */
  'refresh.waiters'?: number;
  /** How the refresh ended. */
  'refresh.outcome'?: RefreshOutcome;
  /** Token calls this instance made for the refresh (retries included). */
  'refresh.attempts'?: number;
  /** The API call's name in its description (`profile`, `plants`). */
  'auth_code.api.call'?: string;
}

/** The running span of an operation, as the instrumented code sees it. */
export interface OperationSpan {
  /** Adds attributes to the span (and the refresh ones to its metrics). */
  set(attributes: OperationAttributes): void;
}

/** One upstream HTTP call, as the HTTP client span describes it. */
export interface HttpCallInfo {
  /** HTTP method. */
  method: string;
  /** The URL called; only its scheme, host and path reach the span (`url.full`). */
  url: string;
}

/**
 * Where the library reports what it does: a span per operation and per upstream HTTP call, and
 * metrics (counts, failures by normalized code, latency). {@link openTelemetry} reports to
 * OpenTelemetry; {@link NO_TELEMETRY} reports nothing.
 */
export interface AuthTelemetry {
  /** Whether anything is reported (false: the calls below only run their function). */
  readonly enabled: boolean;
  /** Runs `fn` as operation `op` of `provider`. */
  operation<T>(
    op: TelemetryOperation,
    provider: string,
    fn: (span: OperationSpan) => Promise<T>,
  ): Promise<T>;
  /** Runs `fn`, one upstream HTTP call of `provider` for `operation`. */
  httpCall<T extends { status: number }>(
    call: HttpCallInfo,
    provider: string,
    operation: AuthOperation,
    fn: () => Promise<T>,
  ): Promise<T>;
}

const NOOP_SPAN: OperationSpan = { set: () => undefined };

/** Telemetry that reports nothing: each call only runs its function. */
export const NO_TELEMETRY: AuthTelemetry = {
  enabled: false,
  operation: (_op, _provider, fn) => fn(NOOP_SPAN),
  httpCall: (_call, _provider, _operation, fn) => fn(),
};
