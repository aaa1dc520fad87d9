import { parseObject } from '../core/json';
import { getPath } from '../core/jwt';
import type { ProviderDefinition } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import type { HttpResponse } from '../engine/http-client';
import { isSuccess, parseJsonObject, providerError } from '../engine/token-response.reader';
import { ProviderRejectedError } from '../errors/auth-code.errors';
import type { AuthErrorCode } from '../errors/error-codes';
import { Messages } from '../errors/error-messages';
import type { ApiResponseSpec } from './provider-api.description';

/**
 * Reads the answer of an API call made with `accessToken` and returns its payload, or throws the
 * typed error it amounts to:
 * - HTTP 401, or `WWW-Authenticate: Bearer error="invalid_token"` → `token_dead` (RFC 6750 3.1);
 * - HTTP 429 → `rate_limited`;
 * - an envelope/RFC error code → the code the spec (or the definition) maps it to, e.g.
 *   iSolarCloud `E00003` → `token_dead`, `E999` → `rate_limited`;
 * - HTML, truncated JSON, 5xx → `invalid_response` / `server_error` (502).
 *
 * The access token is cut out of the answer before anything reads it, so an API that echoes it
 * can never put it into an error message, a redacted body or the returned payload.
 */
export function readApiResponse(
  def: ProviderDefinition,
  response: HttpResponse,
  spec: ApiResponseSpec = {},
  accessToken?: string,
): unknown {
  const res = withoutEcho(response, accessToken);
  const bearer = bearerError(res.wwwAuthenticate);
  if (res.status === 401 || bearer === 'invalid_token') {
    throw rejected(
      def,
      res,
      'token_dead',
      bearer ?? codeIn(def, res),
      Messages.apiTokenDead(def.displayName),
    );
  }
  if (res.status === 429) {
    const code = codeIn(def, res);
    throw rejected(
      def,
      res,
      'rate_limited',
      code,
      Messages.rejected(def.displayName, 'api', `HTTP 429 (rate_limited)`),
    );
  }
  const body = parseJsonObject(def, res, 'api');
  if (!isSuccess({ success: spec.success }, res, body)) {
    throw providerError(
      def,
      res,
      body,
      'api',
      spec.errors ?? { ...def.errors, defaultCode: 'provider_error' },
    );
  }
  return spec.data ? getPath(body, spec.data) : body;
}

/** The `error` of a `WWW-Authenticate: Bearer ...` challenge, e.g. `invalid_token`. */
export function bearerError(header: string): string | undefined {
  return /^\s*Bearer\b.*?\berror="([^"]*)"/i.exec(header)?.[1];
}

function withoutEcho(res: HttpResponse, token: string | undefined): HttpResponse {
  if (!token || !res.text.includes(token)) return res;
  return { ...res, text: res.text.split(token).join('[redacted]') };
}

/** The provider's own code in an error body, when there is one (for `providerCode`). */
function codeIn(def: ProviderDefinition, res: HttpResponse): string | undefined {
  const code = getPath(parseObject(res.text), def.errors?.codePath ?? 'error');
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

function rejected(
  def: ProviderDefinition,
  res: HttpResponse,
  code: AuthErrorCode,
  providerCode: string | undefined,
  message: string,
): ProviderRejectedError {
  return new ProviderRejectedError({
    code,
    provider: def.id,
    operation: 'api',
    upstreamStatus: res.status,
    providerCode,
    redactedBody: res.text ? redactBody(res.text) : undefined,
    message,
  });
}
