import type { ProviderDefinition } from '../core/provider-definition';
import type { EndSessionParam, EndSessionSpec } from '../core/provider-logout';

/** Values of one logout redirect. */
export interface EndSessionRequest {
  /** The id_token of the login (`id_token_hint`), when there is one. */
  idTokenHint?: string;
  /** Where the provider sends the browser back (registered at the provider). */
  postLogoutRedirectUri?: string;
  /** A random value the provider echoes on the way back. */
  state?: string;
}

const DEFAULT_NAMES: Record<EndSessionParam, string> = {
  idTokenHint: 'id_token_hint',
  postLogoutRedirectUri: 'post_logout_redirect_uri',
  state: 'state',
  clientId: 'client_id',
};

/**
 * The URL of the provider's logout page for one logout (OIDC RP-Initiated Logout 1.0 3, or the
 * provider's own spelling), or undefined when the definition has none. `client_id` is always
 * sent where the definition names it: RP-Initiated Logout needs it beside a
 * `post_logout_redirect_uri` when there is no `id_token_hint`, and allows it with one.
 */
export function buildEndSessionUrl(
  def: ProviderDefinition,
  req: EndSessionRequest,
): string | undefined {
  const spec = def.endSession;
  if (!spec) return undefined;
  const url = new URL(spec.url);
  const values: Array<[EndSessionParam, string | undefined]> = [
    ['clientId', def.client.clientId],
    ['idTokenHint', req.idTokenHint],
    ['postLogoutRedirectUri', req.postLogoutRedirectUri],
    ['state', req.state],
  ];
  for (const [param, value] of values) {
    const key = nameOf(spec, param);
    if (key && value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

function nameOf(spec: EndSessionSpec, p: EndSessionParam): string | null {
  return spec.paramNames && p in spec.paramNames ? (spec.paramNames[p] ?? null) : DEFAULT_NAMES[p];
}
