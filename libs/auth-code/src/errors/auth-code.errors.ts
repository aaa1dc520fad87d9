import type { AuthOperation } from './operation';
import { HTTP_STATUS_BY_CODE, type AuthErrorCode } from './error-codes';

/** Everything an {@link AuthCodeError} can carry. */
export interface AuthCodeErrorDetails {
  /** Normalized code. */
  code: AuthErrorCode;
  /** A sentence a person can act on. */
  message: string;
  /** Provider id, when the error concerns one provider. */
  provider?: string;
  /** Protocol step that failed. */
  operation?: AuthOperation;
  /** HTTP status the provider answered with, when there was an answer. */
  upstreamStatus?: number;
  /** The provider's own error code (`result_code`, `mc`, `error`). */
  providerCode?: string;
  /** The provider's own error message (`result_msg`, `error_description`). */
  providerMessage?: string;
  /** The upstream body, with every secret-looking value redacted, truncated. */
  redactedBody?: string;
  /** Seconds after which trying again makes sense (`rate_limited`); sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** The optional details copied onto an error when present. */
const DETAIL_FIELDS = [
  'provider',
  'operation',
  'upstreamStatus',
  'providerCode',
  'providerMessage',
  'redactedBody',
  'retryAfterSeconds',
] as const;

/**
 * The one base class of every error this library raises. Engines and services throw it; the edge
 * (exception filter, guards) turns it into HTTP using {@link AuthCodeError.status}.
 */
export class AuthCodeError extends Error {
  /** Normalized code, see {@link AuthErrorCode}. */
  readonly code: AuthErrorCode;
  /** Provider id, when the error concerns one provider. */
  declare readonly provider?: string;
  /** Protocol step that failed. */
  declare readonly operation?: AuthOperation;
  /** HTTP status the provider answered with. */
  declare readonly upstreamStatus?: number;
  /** The provider's own error code. */
  declare readonly providerCode?: string;
  /** The provider's own error message. */
  declare readonly providerMessage?: string;
  /** The upstream body, redacted and truncated; never contains a token or secret. */
  declare readonly redactedBody?: string;
  /** Seconds after which trying again makes sense; the edge sends it as `Retry-After`. */
  declare readonly retryAfterSeconds?: number;

  constructor(details: AuthCodeErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    // Only the details that are there become properties: a logged error shows what it knows,
    // not a row of `undefined` fields.
    for (const key of DETAIL_FIELDS) {
      if (details[key] !== undefined) Object.assign(this, { [key]: details[key] });
    }
  }

  /** The HTTP status to answer the client with. */
  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code] ?? 500;
  }

  /** A JSON-safe view for logs and API answers (no cause chain, no raw body). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      upstreamStatus: this.upstreamStatus,
      providerCode: this.providerCode,
      providerMessage: this.providerMessage,
    };
  }
}

/** The provider answered, and said no (an OAuth error, an envelope error code, a 401 from an API). */
export class ProviderRejectedError extends AuthCodeError {}

/** The provider could not be reached, or did not answer within the timeout. */
export class TransportError extends AuthCodeError {}

/** The provider answered something that cannot be read: HTML, truncated JSON, no access token... */
export class UnexpectedResponseError extends AuthCodeError {}

/** The callback does not belong to a login transaction of this browser (state/CSRF/mix-up/bad input). */
export class StateError extends AuthCodeError {}

/** The id_token failed validation (signature, iss, aud, exp, iat, nonce, sub). */
export class IdTokenError extends AuthCodeError {}

/**
 * A back-channel logout token failed validation (signature, `iss`, `aud`, `iat`, `jti` replay,
 * `events`, `sid`/`sub`, `nonce`), or the request carried none: 400 `invalid_request` on the wire
 * (OpenID Connect Back-Channel Logout 1.0, 2.8).
 */
export class LogoutTokenError extends AuthCodeError {}

/** There is no usable session or provider grant: the user has to log in (again). */
export class LoginRequiredError extends AuthCodeError {}

/** A dependency of ours (token store, discovery) is unavailable; fail closed. */
export class ServiceUnavailableError extends AuthCodeError {}

/**
 * Too many unfinished login attempts: from this client (429 `rate_limited`) or in total (503
 * `temporarily_unavailable`). Existing sessions are untouched; the message says when to retry.
 */
export class LoginLimitError extends AuthCodeError {}

/**
 * The configuration is wrong or incomplete; raised at start-up. Its message lists every problem
 * and is all a person needs, so its `stack` is that message alone: Nest's start-up log shows it
 * once, without frames that point into this library.
 */
export class ConfigurationError extends AuthCodeError {
  constructor(details: AuthCodeErrorDetails) {
    super(details);
    this.stack = `${this.name}: ${this.message}`;
    // Printed at start-up by Nest (util.inspect): the message alone, not `{ code, operation }`.
    for (const key of Object.keys(this)) {
      Object.defineProperty(this, key, { enumerable: false });
    }
  }
}
