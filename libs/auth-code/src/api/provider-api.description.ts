import type { ErrorSpec, FieldMatch, ProviderDefinition } from '../core/provider-definition';
import type { HttpRequest } from '../engine/http-client';
import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/** Name of the call `GET /api/:provider/profile` makes: what the provider says about the user. */
export const PROFILE_CALL = 'profile';

/** How the answer of an API call is read. */
export interface ApiResponseSpec {
  /**
   * When the body counts as success (envelope APIs answer errors with HTTP 200 too).
   * @default HTTP 2xx and no `error` field
   */
  success?: FieldMatch;
  /** Dotted path of the payload inside the envelope (`result_data`, `result`). @default the whole body */
  data?: string;
  /**
   * How refusals are recognised; a code mapped to `token_dead` makes the refresh interceptor
   * refresh once and retry. @default the definition's `errors`, unmapped codes → `provider_error`
   */
  errors?: ErrorSpec;
}

/** One API call: the request to send with an access token, and how its answer reads. */
export interface ApiCallSpec {
  /** Builds the request (URL, method, headers incl. `Authorization`, body) from the definition. */
  request: (def: ProviderDefinition, accessToken: string) => HttpRequest;
  /** How the answer reads. @default plain JSON over HTTP 2xx */
  response?: ApiResponseSpec;
}

/**
 * A provider's API, described as data: its named calls. Every provider difference (envelopes,
 * extra headers, POST bodies, error codes) lives here, not in `if (provider === ...)` code.
 * An HTTP 401 (or `WWW-Authenticate: Bearer error="invalid_token"`) always means `token_dead`
 * (RFC 6750 3.1), an HTTP 429 `rate_limited`.
 */
export interface ProviderApiDescription {
  /** Provider id the description belongs to. */
  provider: string;
  /** Calls by name; `profile` is the one the sample app's `/api/:provider/profile` makes. */
  calls: Record<string, ApiCallSpec>;
}

/**
 * The userinfo endpoint of the definition, called with `Authorization: Bearer` (RFC 6750 2.1).
 * @param response how the answer reads (envelope providers)
 */
export function userinfoCall(response?: ApiResponseSpec): ApiCallSpec {
  return {
    request: (def, accessToken) => {
      if (!def.userinfo) throw apiNotDescribed(def.id, PROFILE_CALL);
      return {
        url: def.userinfo.url,
        method: def.userinfo.method ?? 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
      };
    },
    response,
  };
}

/** The description used for a provider without one: its userinfo endpoint as `profile`. */
export function genericApiDescription(def: ProviderDefinition): ProviderApiDescription | undefined {
  return def.userinfo ? { provider: def.id, calls: { [PROFILE_CALL]: userinfoCall() } } : undefined;
}

/** The error for a call no description names (500: the app's configuration is incomplete). */
export function apiNotDescribed(provider: string, call: string): ConfigurationError {
  return new ConfigurationError({
    code: 'invalid_config',
    provider,
    operation: 'api',
    message: Messages.apiNotDescribed(provider, call),
  });
}
