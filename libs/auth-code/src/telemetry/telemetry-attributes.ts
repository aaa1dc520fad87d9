import { AuthCodeError } from '../errors/auth-code.errors';

/** An attribute value as OpenTelemetry takes it. */
export type AttributeValue = string | number | boolean;
/** A set of span or metric attributes. */
export type Attributes = Record<string, AttributeValue>;

/** Longest `url.full` kept: a provider URL is short; anything longer is cut. */
const MAX_URL = 512;
/** An error class name we report as `error.type`; anything else is `_OTHER`. */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/**
 * The attribute names this library reports. HTTP client spans and the `http.client.request.duration`
 * histogram follow OpenTelemetry's HTTP semantic conventions; the rest are the library's own.
 */
export const TELEMETRY_ATTRIBUTES = {
  provider: 'auth_code.provider',
  operation: 'auth_code.operation',
  outcome: 'auth_code.outcome',
  cause: 'auth_code.error.cause',
  errorType: 'error.type',
  method: 'http.request.method',
  status: 'http.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  url: 'url.full',
} as const;

const ATTR = TELEMETRY_ATTRIBUTES;

/**
 * The metric names this library reports: counts and durations of its operations, by provider,
 * operation and outcome (failures by normalized code), refresh waiters, and the HTTP semantic
 * conventions' client request duration.
 */
export const TELEMETRY_METRICS = {
  operations: 'auth_code.operations',
  failures: 'auth_code.operation.failures',
  duration: 'auth_code.operation.duration',
  waiters: 'auth_code.refresh.waiters',
  httpDuration: 'http.client.request.duration',
} as const;

/**
 * `error.type` of a failure: the normalized code of an {@link AuthCodeError} (`invalid_grant`,
 * `timeout`, `store_unavailable`), the class name of any other error, never its message.
 */
export function errorType(err: unknown): string {
  if (err instanceof AuthCodeError) return err.code;
  const name = (err as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && ERROR_NAME.test(name) ? name : '_OTHER';
}

/** The normalized code of a failure's cause (`invalid_grant` behind `login_required`), if any. */
export function causeType(err: unknown): string | undefined {
  const cause = err instanceof AuthCodeError ? (err as { cause?: unknown }).cause : undefined;
  return cause instanceof AuthCodeError ? cause.code : undefined;
}

/**
 * The request attributes of an HTTP client span: method, server address and port (`attributes`,
 * what its metric carries too), and `url.full` as scheme, host and path only — no user info, no
 * query (XT sends codes and secrets in it), no fragment — or undefined for a URL that does not parse.
 */
export function httpRequestAttributes(
  method: string,
  url: string,
): { attributes: Attributes; url?: string } {
  const attributes: Attributes = { [ATTR.method]: method };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { attributes };
  }
  attributes[ATTR.serverAddress] = u.hostname;
  attributes[ATTR.serverPort] = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { attributes, url: `${u.protocol}//${u.host}${u.pathname}`.slice(0, MAX_URL) };
}
