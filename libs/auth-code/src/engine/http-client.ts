import type { AuthOperation } from '../errors/operation';
import { Messages } from '../errors/error-messages';
import { AuthCodeError, TransportError, UnexpectedResponseError } from '../errors/auth-code.errors';
import { readBoundedBody } from './bounded-body';
import { resolveTelemetry } from '../telemetry/default-telemetry';
import type { AuthTelemetry } from '../telemetry/telemetry';

/** Default of {@link HttpClientOptions.maxResponseBytes}: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Longest `content-type` / `www-authenticate` header value kept; the rest is an upstream's noise. */
const MAX_HEADER = 1024;

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
  /** `dpop-nonce` header (RFC 9449 8), when present and at most 1 KB; read by DPoP calls only. */
  dpopNonce?: string;
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
  /**
   * Largest response body read, in bytes after decompression (a gzip bomb is cut when its
   * *inflated* size passes it). The body is counted while it streams in and the request is
   * aborted as soon as it is exceeded; the call then fails with `UnexpectedResponseError`
   * `invalid_response` (HTTP 502 at the edge).
   * @default 1048576 (1 MiB)
   */
  maxResponseBytes?: number;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Debug logger. */
  logger?: EngineLogger;
  /**
   * Where spans and metrics of every call (and of the engine's operations) go; `false` for none.
   * @default OpenTelemetry's global providers when `@opentelemetry/api` is installed, else none
   */
  telemetry?: AuthTelemetry | false;
}

/**
 * Sends requests with Node's `fetch`, a hard timeout and a maximum body size; turns network
 * failures and timeouts into {@link TransportError} and an oversized body into
 * {@link UnexpectedResponseError}. It never retries: retry policy belongs to the caller.
 */
export class HttpClient {
  /** Timeout applied to every call, in ms. */
  readonly timeoutMs: number;
  /** Largest body read, in (decompressed) bytes. */
  readonly maxResponseBytes: number;
  /** Where the calls (and the engine's operations) are reported. */
  readonly telemetry: AuthTelemetry;
  private readonly fetchImpl: typeof fetch;
  private readonly logger?: EngineLogger;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.logger = options.logger;
    this.telemetry = resolveTelemetry(options.telemetry);
  }

  /** Sends one request; `provider` and `operation` only label errors, log lines and spans. */
  send(req: HttpRequest, provider: string, operation: AuthOperation): Promise<HttpResponse> {
    return this.telemetry.httpCall(req, provider, operation, () =>
      this.transmit(req, provider, operation),
    );
  }

  private async transmit(
    req: HttpRequest,
    provider: string,
    operation: AuthOperation,
  ): Promise<HttpResponse> {
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const tooLarge = new AbortController();
    try {
      const res = await this.fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, tooLarge.signal]),
      });
      const text = await readBoundedBody(res, this.maxResponseBytes, () => tooLarge.abort());
      this.logger?.debug(
        `${provider} ${operation}: ${req.method} ${safeUrl(req.url)} -> ${res.status} in ${Date.now() - started} ms${text === undefined ? ` (body over ${this.maxResponseBytes} bytes, aborted)` : ''}`,
      );
      if (text === undefined) {
        throw new UnexpectedResponseError({
          code: 'invalid_response',
          provider,
          operation,
          upstreamStatus: res.status,
          message: Messages.responseTooLarge(provider, operation, this.maxResponseBytes),
        });
      }
      return {
        status: res.status,
        contentType: (res.headers.get('content-type') ?? '').slice(0, MAX_HEADER).toLowerCase(),
        wwwAuthenticate: (res.headers.get('www-authenticate') ?? '').slice(0, MAX_HEADER),
        dpopNonce: boundedHeader(res.headers.get('dpop-nonce')),
        text,
      };
    } catch (err) {
      if (err instanceof AuthCodeError) throw err;
      const timedOut = timeout.aborted || (err as Error)?.name === 'TimeoutError';
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

/** A header value up to {@link MAX_HEADER} characters; a longer one (or none) is undefined. */
function boundedHeader(value: string | null): string | undefined {
  return value !== null && value.length <= MAX_HEADER ? value : undefined;
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
