import type { AuthOperation } from '../core/operation';
import { Messages } from '../errors/error-messages';
import { TransportError } from '../errors/auth-code.errors';

/** A request as the engine sends it. */
export interface HttpRequest {
  /** Absolute URL, query included. */
  url: string;
  /** HTTP method. */
  method: 'GET' | 'POST';
  /** Request headers. */
  headers: Record<string, string>;
  /** Encoded body, for POST. */
  body?: string;
}

/** A response as the engine reads it: the body is always read as text first. */
export interface HttpResponse {
  /** HTTP status. */
  status: number;
  /** `content-type` header, lower-cased, or ''. */
  contentType: string;
  /** `www-authenticate` header, or ''. */
  wwwAuthenticate: string;
  /** Raw body. */
  text: string;
}

/** Receives one line per upstream call; never a secret. */
export interface EngineLogger {
  /** Debug-level line. */
  debug(message: string): void;
}

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Timeout of every call, connect to last byte, in ms. @default 5000 */
  timeoutMs?: number;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Debug logger. */
  logger?: EngineLogger;
}

/**
 * Sends requests with Node's `fetch` and a hard timeout; turns network failures and timeouts into
 * {@link TransportError}. It never retries: retry policy belongs to the caller.
 */
export class HttpClient {
  /** Timeout applied to every call, in ms. */
  readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly logger?: EngineLogger;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.logger = options.logger;
  }

  /** Sends one request; `provider` and `operation` only label errors and log lines. */
  async send(req: HttpRequest, provider: string, operation: AuthOperation): Promise<HttpResponse> {
    const started = Date.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await this.fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        redirect: 'manual',
        signal,
      });
      const text = await res.text();
      this.logger?.debug(
        `${provider} ${operation}: ${req.method} ${safeUrl(req.url)} -> ${res.status} in ${Date.now() - started} ms`,
      );
      return {
        status: res.status,
        contentType: (res.headers.get('content-type') ?? '').toLowerCase(),
        wwwAuthenticate: res.headers.get('www-authenticate') ?? '',
        text,
      };
    } catch (err) {
      const timedOut = signal.aborted || (err as Error)?.name === 'TimeoutError';
      this.logger?.debug(
        `${provider} ${operation}: ${req.method} ${safeUrl(req.url)} failed after ${Date.now() - started} ms (${timedOut ? 'timeout' : 'network'})`,
      );
      if (timedOut) {
        return Promise.reject(
          new TransportError({
            code: 'timeout',
            provider,
            operation,
            message: Messages.timeout(provider, operation, this.timeoutMs),
            cause: err,
          }),
        );
      }
      const reason = describeNetworkError(err);
      throw new TransportError({
        code: 'network_error',
        provider,
        operation,
        message: Messages.network(provider, operation, reason),
        cause: err,
      });
    }
  }
}

/** The URL without its query and fragment: query strings can carry codes and secrets (XT). */
export function safeUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? 'unknown error';
}
