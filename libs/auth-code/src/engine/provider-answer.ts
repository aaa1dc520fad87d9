import { getPath, parseObject } from '../core/json';
import { KnownSecrets } from '../core/known-secrets';
import type { ErrorSpec, ProviderDefinition, TokenResponseSpec } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import { ProviderRejectedError, UnexpectedResponseError } from '../errors/auth-code.errors';
import { clip, clipOptional } from '../errors/bounded-text';
import { isRfcErrorCode, type AuthErrorCode } from '../errors/error-codes';
import { Messages } from '../errors/error-messages';
import type { AuthOperation } from '../errors/operation';
import type { HttpResponse } from './http-client';

/**
 * Readers of any provider answer (token calls, userinfo, API calls): parse it as a JSON object,
 * decide whether it is a success by the definition, and build the typed error a refusal means.
 */

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Longest provider message (`error_description`, `result_msg`) kept in an error. */
const MAX_PROVIDER_MESSAGE = 512;
/** Longest provider code (`error`, `result_code`, `mc`) kept in an error. */
const MAX_PROVIDER_CODE = 128;

/**
 * Parses an upstream answer as a JSON object, or throws the typed error that says what it was
 * instead (HTML, truncated JSON, an empty 401...). `secrets` (the values the request sent) never
 * appear in the error.
 */
export function parseJsonObject(
  def: ProviderDefinition,
  res: HttpResponse,
  operation: AuthOperation,
  secrets: KnownSecrets = KnownSecrets.none,
): Json {
  const body = parseObject(res.text);
  if (body) return body;
  const base = {
    provider: def.id,
    operation,
    upstreamStatus: res.status,
    redactedBody: redactBody(res.text, secrets),
  };
  if (res.status >= 400 && res.status < 500) {
    const code = statusCode(res.status);
    throw new ProviderRejectedError({
      ...base,
      code,
      message: Messages.rejected(def.id, operation, `HTTP ${res.status} (${code})`),
    });
  }
  if (res.status >= 500) {
    throw new UnexpectedResponseError({
      ...base,
      code: res.status === 503 ? 'temporarily_unavailable' : 'server_error',
      message: Messages.upstreamStatus(def.id, operation, res.status),
    });
  }
  throw new UnexpectedResponseError({
    ...base,
    code: 'invalid_response',
    message: Messages.notJson(def.id, operation, res.status, secrets.redact(res.contentType)),
  });
}

function statusCode(status: number): AuthErrorCode {
  if (status === 401) return 'invalid_client';
  if (status === 400) return 'invalid_request';
  if (status === 403) return 'access_denied';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  return 'provider_error';
}

/**
 * Builds the typed error for a body that is not a success. A 2xx body without any error code is
 * not a refusal but an unreadable answer (`invalid_response`), never the definition's `defaultCode`.
 * The provider's code and message are cut to a sane length and never contain `secrets`.
 */
export function providerError(
  def: ProviderDefinition,
  res: HttpResponse,
  body: Json,
  operation: AuthOperation,
  spec: ErrorSpec = def.errors ?? {},
  secrets: KnownSecrets = KnownSecrets.none,
): ProviderRejectedError | UnexpectedResponseError {
  const rawCode = getPath(body, spec.codePath ?? 'error') ?? body.error;
  const rawMessage =
    getPath(body, spec.messagePath ?? 'error_description') ?? body.error_description;
  const wireCode = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
  if (wireCode === undefined && res.status >= 200 && res.status < 300) {
    return new UnexpectedResponseError({
      code: 'invalid_response',
      provider: def.id,
      operation,
      upstreamStatus: res.status,
      redactedBody: redactBody(res.text, secrets),
      message: Messages.noOutcome(def.id, operation, res.status),
    });
  }
  // Redacted before being cut, so a cut can never leave the start of a secret behind.
  const providerCode = clipOptional(secrets.redactOptional(wireCode), MAX_PROVIDER_CODE);
  const providerMessage =
    typeof rawMessage === 'string'
      ? clip(secrets.redact(rawMessage), MAX_PROVIDER_MESSAGE)
      : undefined;
  const code: AuthErrorCode =
    (wireCode !== undefined && spec.codeMap && Object.hasOwn(spec.codeMap, wireCode)
      ? spec.codeMap[wireCode]
      : undefined) ??
    (isRfcErrorCode(wireCode) ? wireCode : undefined) ??
    (isRfcErrorCode(body.error) ? body.error : undefined) ??
    (res.status >= 500 ? 'server_error' : res.status === 429 ? 'rate_limited' : undefined) ??
    spec.defaultCode ??
    'provider_error';
  const reason = [providerMessage, providerCode && `code ${providerCode}`]
    .filter(Boolean)
    .join(', ');
  return new ProviderRejectedError({
    code,
    provider: def.id,
    operation,
    upstreamStatus: res.status,
    providerCode,
    providerMessage,
    redactedBody: redactBody(res.text, secrets),
    message: Messages.rejected(def.id, operation, `${reason || `HTTP ${res.status}`} (${code})`),
  });
}

/** Whether a parsed body is a success according to the definition. */
export function isSuccess(spec: TokenResponseSpec, res: HttpResponse, body: Json): boolean {
  if (res.status < 200 || res.status > 299) return false;
  if (!spec.success) return body.error === undefined;
  return spec.success.oneOf.some((v) => v === getPath(body, spec.success!.path));
}
