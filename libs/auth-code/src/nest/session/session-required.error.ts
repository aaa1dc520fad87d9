import { LoginRequiredError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';

/**
 * The request has no valid session (401 `login_required`, operation `session`). With a
 * `loginUrl`, the exception filter redirects browsers there instead of answering 401.
 */
export class SessionRequiredError extends LoginRequiredError {
  /** Where a browser should log in (`/?returnTo=...`), or undefined for a plain 401. */
  readonly loginUrl?: string;

  constructor(loginUrl?: string) {
    super({ code: 'login_required', operation: 'session', message: Messages.noSession() });
    this.loginUrl = loginUrl;
  }
}
