import type { ProviderDefinition } from '../../core/provider-definition';

/** Options of {@link acme}. */
export interface AcmeOptions {
  /** The application's client id. */
  clientId: string;
  /** The application's secret. */
  clientSecret: string;
  /** Base URL of Acme Grid (authorize page and API). */
  url: string;
  /** The registered redirect URI. */
  redirectUri: string;
}

/**
 * Acme Grid, a fictional provider: a JSON token call and a `{ code, msg, data }` envelope,
 * success when `code` is 0.
 */
export function acme(o: AcmeOptions): ProviderDefinition {
  const tokenCall = { url: `${o.url}/oauth/token`, encoding: 'json' as const };
  return {
    id: 'acme',
    displayName: 'Acme Grid',
    client: { clientId: o.clientId, clientSecret: o.clientSecret },
    redirectUri: o.redirectUri,
    authorize: { url: `${o.url}/authorize`, scope: ['grid'] },
    token: {
      // deviates from RFC 6749: JSON body, answers in a { code, msg, data } envelope with HTTP 200
      exchange: tokenCall,
      refresh: tokenCall,
      response: { success: { path: 'code', oneOf: [0] }, envelope: 'data', acceptTopLevel: false },
    },
    errors: { codePath: 'code', messagePath: 'msg', codeMap: { '40001': 'invalid_grant' } },
    pkce: true,
    profile: ({ token }) => {
      const user = token.payload.user as { id?: unknown; name?: unknown } | undefined;
      return {
        id: typeof user?.id === 'string' ? user.id : '',
        displayName: typeof user?.name === 'string' ? user.name : undefined,
      };
    },
  };
}
