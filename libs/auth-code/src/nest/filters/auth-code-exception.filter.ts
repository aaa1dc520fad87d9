import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import { clip } from '../../errors/bounded-text';
import { AuthCodeError } from '../../errors/auth-code.errors';
import { AUTH_CODE_RESOLVED_OPTIONS } from '../options/auth-code.constants';
import type { ResolvedAuthCodeOptions } from '../options/auth-code.options';
import { acceptsHtml, requestPath, requestUrl, type HttpRequestLike } from '../http/http-request';
import {
  isSent,
  redirect,
  sendHtml,
  sendJson,
  setHeader,
  type HttpResponseLike,
} from '../http/http-response';
import { SessionRequiredError } from '../session/session-required.error';
import { renderErrorPage, type ErrorPageAction } from './error-page';
import { scrubSecrets } from './scrub-secrets';

/** The JSON body of an error answer. */
export interface AuthCodeErrorBody {
  /** HTTP status. */
  statusCode: number;
  /** Normalized code, e.g. `invalid_grant`. */
  error: string;
  /** A sentence a person can act on. */
  message: string;
  /** Provider id, when the error concerns one. */
  provider?: string;
  /** The provider's own code (`result_code`, `mc`, `error`). */
  providerCode?: string;
}

/**
 * The one place {@link AuthCodeError}s become HTTP: JSON for API clients, a readable HTML page for
 * browsers (`Accept: text/html`); a browser without a session (`SessionGuard`) is redirected to
 * the login page instead, and a `login_required` page links to the login. Never includes a token,
 * secret or cookie value: messages are built without them, token-like runs are scrubbed anyway,
 * the raw upstream body and the cause are never sent, and answers are `Cache-Control: no-store`.
 */
@Catch(AuthCodeError)
export class AuthCodeExceptionFilter implements ExceptionFilter<AuthCodeError> {
  private readonly logger = new Logger('AuthCode');

  constructor(
    @Optional()
    @Inject(AUTH_CODE_RESOLVED_OPTIONS)
    private readonly options?: Pick<ResolvedAuthCodeOptions, 'loginPath'>,
  ) {}

  catch(err: AuthCodeError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequestLike>();
    const res = http.getResponse<HttpResponseLike>();
    const status = err.status;
    // The path is the browser's: quote its start only (a 12,000-letter provider id is one request).
    const path = clip(requestPath(req), 256);
    const line = `${req.method} ${path} -> ${status} ${err.code}: ${scrubSecrets(err.message)}`;
    if (status >= 500) this.logger.warn(line);
    else this.logger.debug(line);
    if (isSent(res)) return;
    setHeader(res, 'cache-control', 'no-store');
    if (err.retryAfterSeconds !== undefined)
      setHeader(res, 'retry-after', String(Math.max(0, Math.ceil(err.retryAfterSeconds))));
    if (!this.wantsHtml(req)) {
      sendJson(res, status, this.body(err));
      return;
    }
    if (err instanceof SessionRequiredError && err.loginUrl) {
      redirect(res, req.method === 'GET' || req.method === 'HEAD' ? 302 : 303, err.loginUrl);
      return;
    }
    sendHtml(res, status, renderErrorPage(this.body(err), this.action(err, req)));
  }

  /** The JSON body (also what the HTML page shows); override to add fields. */
  protected body(err: AuthCodeError): AuthCodeErrorBody {
    return {
      statusCode: err.status,
      error: err.code,
      message: scrubSecrets(err.message),
      provider: err.provider === undefined ? undefined : clip(err.provider, 64),
      providerCode:
        err.providerCode === undefined ? undefined : clip(scrubSecrets(err.providerCode), 64),
    };
  }

  /** Browsers get HTML: they ask for text/html and not for JSON. */
  protected wantsHtml(req: HttpRequestLike): boolean {
    return acceptsHtml(req);
  }

  /** The page's button: log in (again) for `login_required`, else start the provider's login over. */
  protected action(err: AuthCodeError, req: HttpRequestLike): ErrorPageAction | undefined {
    if (err.code === 'login_required') {
      const back = req.method === 'GET' ? `?returnTo=${encodeURIComponent(requestUrl(req))}` : '';
      const href = err.provider
        ? `${this.loginPath(err)}${back}`
        : (this.options?.loginPath ?? '/');
      return { href, label: 'Log in again' };
    }
    const href = this.loginPath(err);
    return href ? { href, label: 'Try again' } : undefined;
  }

  /** Where a person can start over, for errors tied to a provider. */
  protected loginPath(err: AuthCodeError): string | undefined {
    return err.provider && err.code !== 'provider_disabled'
      ? `/auth/${encodeURIComponent(err.provider)}/login`
      : undefined;
  }
}
