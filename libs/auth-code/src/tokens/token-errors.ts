import {
  AuthCodeError,
  LoginRequiredError,
  ProviderRejectedError,
  TransportError,
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
