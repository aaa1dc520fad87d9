import type { ProviderDefinition } from '../core/provider-definition';
import type { TokenSet } from '../core/token-set';
import { sendWithAccessToken } from '../engine/dpop.sender';
import type { HttpClient } from '../engine/http-client';
import { apiNotDescribed, type ProviderApiDescription } from './provider-api.description';
import { readApiResponse } from './provider-api.reader';

/**
 * Makes one described API call with an access token: builds the request from the description,
 * sends it through the engine's {@link HttpClient} (timeout → `TransportError`) and reads the
 * answer with {@link readApiResponse}. Never retries: refreshing and retrying once on `token_dead`
 * is the refresh interceptor's job.
 * @param tokenSet the token set the access token belongs to: a DPoP-bound one (RFC 9449) is sent
 *   as `Authorization: DPoP` with a proof, re-sent once on `use_dpop_nonce`. @default Bearer
 */
export async function callProviderApi<T = unknown>(
  http: HttpClient,
  def: ProviderDefinition,
  api: ProviderApiDescription | undefined,
  call: string,
  accessToken: string,
  tokenSet?: Pick<TokenSet, 'tokenType' | 'dpopKey'>,
): Promise<T> {
  const spec = api?.calls[call];
  if (!spec) throw apiNotDescribed(def.id, call);
  return http.telemetry.operation('api', def.id, async (span) => {
    span.set({ 'auth_code.api.call': call });
    const res = await sendWithAccessToken(
      http,
      spec.request(def, accessToken),
      { tokenType: 'Bearer', ...tokenSet, accessToken },
      { provider: def.id, operation: 'api' },
    );
    return readApiResponse(def, res, spec.response, accessToken) as T;
  });
}
