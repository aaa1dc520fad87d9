import {
  AuthCodeError,
  IdTokenError,
  LoginRequiredError,
  ProviderRejectedError,
  TransportError,
  UnexpectedResponseError,
} from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/** The user has to log in with `provider` again (401 `login_required`). */
export function loginRequired(
  provider: string,
  displayName: string,
  cause?: unknown,
): LoginRequiredError {
  return new LoginRequiredError({
    code: 'login_required',
    provider,
    operation: 'refresh',
    message: Messages.loginRequired(displayName),
    cause,
  });
}

/** Another caller held the refresh lock for longer than we were willing to wait. */
export function refreshBusy(provider: string, displayName: string, ms: number): TransportError {
  return new TransportError({
    code: 'timeout',
    provider,
    operation: 'refresh',
    message: Messages.refreshBusy(displayName, ms),
  });
}

/**
 * Whether a refresh failure means the grant is dead: the provider refused the refresh token
 * (`invalid_grant`, or a provider code the definition maps to it or to `token_dead`).
 */
export function isDeadGrant(err: unknown): err is AuthCodeError {
  return (
    err instanceof ProviderRejectedError &&
    (err.code === 'invalid_grant' || err.code === 'token_dead')
  );
}

/**
 * Whether a failed refresh has spent the refresh token even though it yielded nothing usable: the
 * provider accepted it and answered 2xx, but the answer failed validation (its new id_token, or a
 * body that cannot be read). A provider that rotates refresh tokens has invalidated the one sent,
 * and presenting it again is reuse, which a strict provider answers by revoking the whole grant
 * (RFC 9700 4.14.2). So the grant is dropped, never retried with that token.
 */
export function isSpentRefresh(err: unknown): err is AuthCodeError {
  if (err instanceof IdTokenError) return true;
  const status = err instanceof UnexpectedResponseError ? err.upstreamStatus : undefined;
  return status !== undefined && status >= 200 && status < 300;
}
