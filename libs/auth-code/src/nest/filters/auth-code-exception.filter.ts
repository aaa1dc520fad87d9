import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthCodeError } from '../../errors/auth-code.errors';
import { renderErrorPage } from './error-page';

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
 * browsers (`Accept: text/html`). Never includes a token or secret: messages are built without
 * them and the raw upstream body is not sent.
 */
@Catch(AuthCodeError)
export class AuthCodeExceptionFilter implements ExceptionFilter<AuthCodeError> {
  private readonly logger = new Logger('AuthCode');

  catch(err: AuthCodeError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const status = err.status;
    const line = `${req.method} ${req.path} -> ${status} ${err.code}: ${err.message}`;
    if (status >= 500) this.logger.warn(line);
    else this.logger.debug(line);
    if (res.headersSent) return;
    if (this.wantsHtml(req)) {
      res.status(status).type('html').send(renderErrorPage(err, this.loginPath(err)));
      return;
    }
    res.status(status).json(this.body(err));
  }

  /** The JSON body; override to add fields. */
  protected body(err: AuthCodeError): AuthCodeErrorBody {
    return {
      statusCode: err.status,
      error: err.code,
      message: err.message,
      provider: err.provider,
      providerCode: err.providerCode,
    };
  }

  /** Browsers get HTML: they ask for text/html and not for JSON. */
  protected wantsHtml(req: Request): boolean {
    const accept = req.headers.accept ?? '';
    return accept.includes('text/html') && !accept.includes('application/json');
  }

  /** Where a person can start over, for errors tied to a provider. */
  protected loginPath(err: AuthCodeError): string | undefined {
    return err.provider && err.code !== 'provider_disabled' ? `/auth/${encodeURIComponent(err.provider)}/login` : undefined;
  }
}
