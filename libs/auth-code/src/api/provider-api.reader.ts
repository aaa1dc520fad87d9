import { getPath, parseObject } from '../core/json';
import { clipOptional } from '../errors/bounded-text';
import { KnownSecrets } from '../core/known-secrets';
import type { ProviderDefinition } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import type { HttpResponse } from '../engine/http-client';
import { isSuccess, parseJsonObject, providerError } from '../engine/provider-answer';
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
 * can never put it into an error message, a redacted body or the returned payload; the client
 * secret (which some APIs get in a header: iSolarCloud) is removed from every error too.
 */
export function readApiResponse(
  def: ProviderDefinition,
  response: HttpResponse,
  spec: ApiResponseSpec = {},
  accessToken?: string,
): unknown {
  const res = withoutEcho(response, new KnownSecrets([accessToken]));
  const secrets = new KnownSecrets([accessToken, def.client.clientSecret]);
  const bearer = bearerError(res.wwwAuthenticate);
  if (res.status === 401 || bearer === 'invalid_token') {
    const providerCode = bearer ?? codeIn(def, res);
    throw rejected(
      def,
      res,
      'token_dead',
      providerCode,
      Messages.apiTokenDead(def.displayName),
      secrets,
    );
  }
  if (res.status === 429) {
    const message = Messages.rejected(def.displayName, 'api', `HTTP 429 (rate_limited)`);
    throw rejected(def, res, 'rate_limited', codeIn(def, res), message, secrets);
  }
  const body = parseJsonObject(def, res, 'api', secrets);
  if (!isSuccess({ success: spec.success }, res, body)) {
    const errors = spec.errors ?? { ...def.errors, defaultCode: 'provider_error' as const };
    throw providerError(def, res, body, 'api', errors, secrets);
  }
  return spec.data ? getPath(body, spec.data) : body;
}

/** Longest `WWW-Authenticate` value looked at. */
const MAX_CHALLENGE = 1024;
/** Longest provider code kept in an error. */
const MAX_PROVIDER_CODE = 128;

/**
 * The `error` of a `WWW-Authenticate: Bearer ...` challenge, e.g. `invalid_token`. A hand-written
 * scan over at most 1 KB: a pattern with a lazy `.*?` before `error="` backtracks once per
 * `error="` on a hostile header.
 */
export function bearerError(header: string): string | undefined {
  const text = header.slice(0, MAX_CHALLENGE);
  const lower = text.toLowerCase();
  let at = 0;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  if (!lower.startsWith('bearer', at) || isWordChar(lower, at + 6)) return undefined;
  for (let from = at + 6; ;) {
    const found = lower.indexOf('error="', from);
    if (found === -1) return undefined;
    if (!isWordChar(lower, found - 1)) {
      const start = found + 'error="'.length;
      const end = text.indexOf('"', start);
      return end === -1 ? undefined : text.slice(start, end);
    }
    from = found + 1;
  }
}

function isWordChar(text: string, i: number): boolean {
  return i >= 0 && i < text.length && /\w/.test(text[i]);
}

function withoutEcho(res: HttpResponse, secrets: KnownSecrets): HttpResponse {
  if (!secrets.occursIn(res.text)) return res;
  return { ...res, text: secrets.redact(res.text) };
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
  secrets: KnownSecrets,
): ProviderRejectedError {
  return new ProviderRejectedError({
    code,
    provider: def.id,
    operation: 'api',
    upstreamStatus: res.status,
    providerCode: clipOptional(secrets.redactOptional(providerCode), MAX_PROVIDER_CODE),
    redactedBody: res.text ? redactBody(res.text, secrets) : undefined,
    message,
  });
}
