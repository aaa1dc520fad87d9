import { getPath, isObject, nonEmptyString } from '../core/json';
import { KnownSecrets } from '../core/known-secrets';
import type { ProviderDefinition } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import type { TokenResponse } from '../core/token-set';
import { UnexpectedResponseError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import type { HttpResponse } from './http-client';
import { isSuccess, parseJsonObject, providerError, type Json } from './provider-answer';
import {
  expiresAt,
  normalizeTokenType,
  refreshExpiresAt,
  overlongField,
  TOKEN_FIELD_LIMITS,
  type LimitedTokenField,
} from './token-fields';

/**
 * Reads a token endpoint answer into a {@link TokenResponse}, or throws the typed error the provider
 * meant (envelope codes, RFC errors) or that its garbage amounts to: a field longer than
 * {@link TOKEN_FIELD_LIMITS} is `invalid_response`; the expiry is always finite and clamped to
 * now .. now + 10 years. `secrets` (the values the request sent: client secret, code, verifier,
 * refresh token) are removed from every error, whatever their length.
 */
export function readTokenResponse(
  def: ProviderDefinition,
  res: HttpResponse,
  operation: 'exchange' | 'refresh',
  now = Date.now(),
  secrets: KnownSecrets = KnownSecrets.none,
): TokenResponse {
  const spec = def.token.response ?? {};
  const body = parseJsonObject(def, res, operation, secrets);
  if (!isSuccess(spec, res, body)) {
    throw providerError(def, res, body, operation, def.errors ?? {}, secrets);
  }
  const f = {
    accessToken: 'access_token',
    refreshToken: 'refresh_token',
    expiresIn: 'expires_in',
    refreshExpiresIn: 'refresh_expires_in',
    tokenType: 'token_type',
    scope: 'scope',
    idToken: 'id_token',
    ...spec.fields,
  };
  const enveloped = spec.envelope ? getPath(body, spec.envelope) : body;
  let payload: Json = isObject(enveloped) ? enveloped : {};
  if (!nonEmptyString(payload[f.accessToken]) && spec.acceptTopLevel !== false) payload = body;
  const accessToken = payload[f.accessToken];
  const unreadable = (message: string) =>
    new UnexpectedResponseError({
      code: 'invalid_response',
      provider: def.id,
      operation,
      upstreamStatus: res.status,
      redactedBody: redactBody(res.text, secrets),
      message,
    });
  if (!nonEmptyString(accessToken)) throw unreadable(Messages.noAccessToken(def.id, operation));
  const text = (v: unknown) => (nonEmptyString(v) ? v : undefined);
  const scope = payload[f.scope];
  const fields: Partial<Record<LimitedTokenField, string>> = {
    accessToken,
    refreshToken: text(payload[f.refreshToken]),
    idToken: text(payload[f.idToken]),
    scope: Array.isArray(scope) ? scopeList(scope) : typeof scope === 'string' ? scope : undefined,
    tokenType: text(payload[f.tokenType]),
  };
  const overlong = overlongField(fields);
  if (overlong) {
    const field = f[overlong];
    throw unreadable(
      Messages.tokenFieldTooLong(def.id, operation, field, TOKEN_FIELD_LIMITS[overlong]),
    );
  }
  return {
    payload,
    tokenSet: {
      accessToken,
      refreshToken: fields.refreshToken,
      tokenType: normalizeTokenType(fields.tokenType),
      expiresAt: expiresAt(spec, accessToken, payload[f.expiresIn], now),
      refreshExpiresAt: fields.refreshToken
        ? refreshExpiresAt(spec, fields.refreshToken, payload[f.refreshExpiresIn], now)
        : undefined,
      scope: fields.scope,
      idToken: fields.idToken,
    },
  };
}

/** A scope array as one string; only its string entries count (a nested array is not joined). */
function scopeList(scope: unknown[]): string {
  return scope.filter((s): s is string => typeof s === 'string').join(' ');
}
