import type { AuthorizeParam } from '../core/provider-definition';
import { ConfigurationError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';

/**
 * Authorize parameters the library sets itself, by their RFC 6749 / OIDC names: configuring them
 * would break the flow (`state`, PKCE, `nonce`, where the answer goes) or duplicate an option.
 */
export const RESERVED_AUTHORIZE_PARAMS: readonly string[] = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'response_mode',
];

const MAX_NAME = 128;
const MAX_VALUE = 2048;

/**
 * Why a set of extra authorize parameters is refused, or undefined when it is fine: a reserved
 * name (compared case-insensitively, and including the provider's own spelling of a standard
 * parameter, e.g. iSolarCloud's `redirectUrl`), an empty or overlong name or value.
 */
export function authorizeParamsProblem(
  params: Record<string, unknown>,
  renamed: Partial<Record<AuthorizeParam, string | null>> = {},
): string | undefined {
  const reserved = new Set(
    [...RESERVED_AUTHORIZE_PARAMS, ...Object.values(renamed)].flatMap((n) =>
      typeof n === 'string' ? [n.toLowerCase()] : [],
    ),
  );
  for (const [name, value] of Object.entries(params)) {
    if (name === '' || name.length > MAX_NAME) return Messages.authorizeParamName(MAX_NAME);
    if (reserved.has(name.toLowerCase())) return Messages.authorizeParamReserved(name);
    if (typeof value !== 'string' || value.length > MAX_VALUE) {
      return Messages.authorizeParamValue(name, MAX_VALUE);
    }
  }
  return undefined;
}

/**
 * Checks a provider factory's `authorizeParams` option; returns them, or throws
 * `ConfigurationError` `invalid_config` naming the parameter.
 */
export function checkAuthorizeParams(
  providerId: string,
  params: Record<string, string> | undefined,
  renamed?: Partial<Record<AuthorizeParam, string | null>>,
): Record<string, string> | undefined {
  const problem = params && authorizeParamsProblem(params, renamed);
  if (!problem) return params;
  throw new ConfigurationError({
    code: 'invalid_config',
    provider: providerId,
    operation: 'config',
    message: Messages.invalidConfig(providerId, problem),
  });
}

/**
 * Reads the environment form of extra authorize parameters, a query string such as
 * `prompt=consent&audience=https%3A%2F%2Fapi.example`. Returns the parameters, or the problem.
 */
export function parseAuthorizeParams(
  text: string,
): { params: Record<string, string> } | { problem: string } {
  if (text.length > 4 * MAX_VALUE)
    return { problem: Messages.authorizeParamsTooLong(4 * MAX_VALUE) };
  const found = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    if (!pair.includes('=')) return { problem: Messages.authorizeParamPair(pair.slice(0, 40)) };
    const [[name, value]] = new URLSearchParams(pair);
    if (found.has(name)) return { problem: Messages.authorizeParamRepeated(name.slice(0, 40)) };
    found.set(name, value);
  }
  const params = Object.fromEntries(found);
  const problem = authorizeParamsProblem(params);
  return problem ? { problem } : { params };
}
