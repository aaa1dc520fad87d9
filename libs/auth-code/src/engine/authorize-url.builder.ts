import type {
  AuthorizeParam,
  AuthorizeSpec,
  ProviderDefinition,
} from '../core/provider-definition';

/** Values of one authorize request. */
export interface AuthorizeRequest {
  /** The transaction's state. */
  state: string;
  /** PKCE S256 challenge, when the definition uses PKCE. */
  codeChallenge?: string;
  /** OIDC nonce, when the definition uses one. */
  nonce?: string;
}

const DEFAULT_NAMES: Record<AuthorizeParam, string> = {
  clientId: 'client_id',
  redirectUri: 'redirect_uri',
  responseType: 'response_type',
  scope: 'scope',
  state: 'state',
  codeChallenge: 'code_challenge',
  codeChallengeMethod: 'code_challenge_method',
  nonce: 'nonce',
};

/**
 * Builds the URL the browser is sent to, exactly as the definition describes it; asking for
 * `offline_access` adds `prompt=consent` unless the definition's extra parameters set a `prompt`.
 */
export function buildAuthorizeUrl(def: ProviderDefinition, req: AuthorizeRequest): string {
  const spec = def.authorize;
  const params = authorizeParams(def, req);
  const stateKey = paramName(spec, 'state') ?? 'state';

  const url = new URL(spec.url);
  if (spec.placement === 'fragment') {
    // deviates from RFC 6749: a single-page login app reads its parameters from the fragment and
    // does not echo state from there, so state goes in the real query string before the '#'.
    url.searchParams.set(stateKey, req.state);
    url.hash = `${spec.fragmentPath ?? '/'}?${params.toString()}`;
    return url.toString();
  }
  for (const [k, v] of params) url.searchParams.set(k, v);
  url.searchParams.set(stateKey, req.state);
  return url.toString();
}

/**
 * The authorize parameters of a request without `state` (where it goes depends on the
 * placement): what the URL carries, or what is pushed (RFC 9126) with `state` added.
 */
export function authorizeParams(def: ProviderDefinition, req: AuthorizeRequest): URLSearchParams {
  const spec = def.authorize;
  const values: Array<[AuthorizeParam, string | undefined]> = [
    ['responseType', 'code'],
    ['clientId', def.client.clientId],
    ['redirectUri', def.redirectUri],
    ['scope', spec.scope?.length ? spec.scope.join(spec.scopeSeparator ?? ' ') : undefined],
    ['codeChallenge', req.codeChallenge],
    ['codeChallengeMethod', req.codeChallenge ? 'S256' : undefined],
    ['nonce', req.nonce],
  ];
  const params = new URLSearchParams();
  for (const [param, value] of values) {
    const key = paramName(spec, param);
    if (key && value !== undefined) params.set(key, value);
  }
  for (const [k, v] of Object.entries(spec.extraParams ?? {})) params.set(k, v);
  // OpenID Connect Core 11: an OP ignores offline_access unless prompt has consent, so no refresh
  // token would ever be issued. Added only when the definition sets no prompt of its own.
  if (spec.scope?.includes('offline_access') && !params.has('prompt')) {
    params.set('prompt', 'consent');
  }
  return params;
}

/** How the definition spells a standard authorize parameter; `null`: not sent. */
export function paramName(spec: AuthorizeSpec, p: AuthorizeParam): string | null {
  return spec.paramNames && p in spec.paramNames ? (spec.paramNames[p] ?? null) : DEFAULT_NAMES[p];
}
