import { isObject, nonEmptyString, parseObject } from '../core/json';
import { decodeJwtPayload, getPath } from '../core/jwt';
import type { AuthOperation } from '../core/operation';
import type { ErrorSpec, ProviderDefinition, TokenResponseSpec } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import type { TokenResult } from '../core/token-set';
import { ProviderRejectedError, UnexpectedResponseError } from '../errors/auth-code.errors';
import { isRfcErrorCode, type AuthErrorCode } from '../errors/error-codes';
import { Messages } from '../errors/error-messages';
import type { HttpResponse } from './http-client';

type Json = Record<string, unknown>;

/**
 * Parses an upstream answer as a JSON object, or throws the typed error that says what it was
 * instead (HTML, truncated JSON, an empty 401...).
 */
export function parseJsonObject(
  def: ProviderDefinition,
  res: HttpResponse,
  operation: AuthOperation,
): Json {
  const body = parseObject(res.text);
  if (body) return body;
  const base = {
    provider: def.id,
    operation,
    upstreamStatus: res.status,
    redactedBody: redactBody(res.text),
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
    message: Messages.notJson(def.id, operation, res.status, res.contentType),
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
 */
export function providerError(
  def: ProviderDefinition,
  res: HttpResponse,
  body: Json,
  operation: AuthOperation,
  spec: ErrorSpec = def.errors ?? {},
): ProviderRejectedError | UnexpectedResponseError {
  const rawCode = getPath(body, spec.codePath ?? 'error') ?? body.error;
  const rawMessage =
    getPath(body, spec.messagePath ?? 'error_description') ?? body.error_description;
  const providerCode = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
  if (providerCode === undefined && res.status >= 200 && res.status < 300) {
    return new UnexpectedResponseError({
      code: 'invalid_response',
      provider: def.id,
      operation,
      upstreamStatus: res.status,
      redactedBody: redactBody(res.text),
      message: Messages.noOutcome(def.id, operation, res.status),
    });
  }
  const providerMessage = typeof rawMessage === 'string' ? rawMessage : undefined;
  const code: AuthErrorCode =
    (providerCode !== undefined ? spec.codeMap?.[providerCode] : undefined) ??
    (isRfcErrorCode(providerCode) ? providerCode : undefined) ??
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
    redactedBody: redactBody(res.text),
    message: Messages.rejected(def.id, operation, `${reason || `HTTP ${res.status}`} (${code})`),
  });
}

/** Whether a parsed body is a success according to the definition. */
export function isSuccess(spec: TokenResponseSpec, res: HttpResponse, body: Json): boolean {
  if (res.status < 200 || res.status > 299) return false;
  if (!spec.success) return body.error === undefined;
  return spec.success.oneOf.some((v) => v === getPath(body, spec.success!.path));
}

/**
 * Reads a token endpoint answer into a {@link TokenResult}, or throws the typed error the provider
 * meant (envelope codes, RFC errors) or that its garbage amounts to.
 */
export function readTokenResponse(
  def: ProviderDefinition,
  res: HttpResponse,
  operation: 'exchange' | 'refresh',
  now = Date.now(),
): TokenResult {
  const spec = def.token.response ?? {};
  const body = parseJsonObject(def, res, operation);
  if (!isSuccess(spec, res, body)) throw providerError(def, res, body, operation);

  const f = {
    accessToken: 'access_token',
    refreshToken: 'refresh_token',
    expiresIn: 'expires_in',
    tokenType: 'token_type',
    scope: 'scope',
    idToken: 'id_token',
    ...spec.fields,
  };
  const enveloped = spec.envelope ? getPath(body, spec.envelope) : body;
  let payload: Json = isObject(enveloped) ? enveloped : {};
  if (!nonEmptyString(payload[f.accessToken]) && spec.acceptTopLevel !== false) payload = body;
  const accessToken = payload[f.accessToken];
  if (!nonEmptyString(accessToken)) {
    throw new UnexpectedResponseError({
      code: 'invalid_response',
      provider: def.id,
      operation,
      upstreamStatus: res.status,
      redactedBody: redactBody(res.text),
      message: Messages.noAccessToken(def.id, operation),
    });
  }
  const scope = payload[f.scope];
  return {
    payload,
    tokenSet: {
      accessToken,
      refreshToken: nonEmptyString(payload[f.refreshToken])
        ? (payload[f.refreshToken] as string)
        : undefined,
      tokenType: normalizeTokenType(payload[f.tokenType]),
      expiresAt: expiresAt(spec, accessToken, payload[f.expiresIn], now),
      scope: Array.isArray(scope) ? scope.join(' ') : typeof scope === 'string' ? scope : undefined,
      idToken: nonEmptyString(payload[f.idToken]) ? (payload[f.idToken] as string) : undefined,
    },
  };
}

function expiresAt(
  spec: TokenResponseSpec,
  accessToken: string,
  raw: unknown,
  now: number,
): number {
  if (spec.expiresIn === 'jwt') {
    const exp = decodeJwtPayload(accessToken)?.exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) return exp * 1000;
  }
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && raw.trim() !== ''
        ? Number(raw)
        : NaN;
  // expires_in may be 0 or negative right after login (iSolarCloud): the token is then already due.
  if (!Number.isFinite(n)) return now + (spec.defaultExpiresInSeconds ?? 3600) * 1000;
  return spec.expiresIn === 'ms' ? now + n : now + n * 1000;
}

function normalizeTokenType(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return 'Bearer';
  return raw.toLowerCase() === 'bearer' ? 'Bearer' : raw;
}
