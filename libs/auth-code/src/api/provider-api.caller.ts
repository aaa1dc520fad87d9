import type { ProviderDefinition } from '../core/provider-definition';
import type { HttpClient } from '../engine/http-client';
import { apiNotDescribed, type ProviderApiDescription } from './provider-api.description';
import { readApiResponse } from './provider-api.reader';

/**
 * Makes one described API call with an access token: builds the request from the description,
 * sends it through the engine's {@link HttpClient} (timeout → `TransportError`) and reads the
 * answer with {@link readApiResponse}. Never retries: refreshing and retrying once on `token_dead`
 * is the refresh interceptor's job.
 */
export async function callProviderApi<T = unknown>(
  http: HttpClient,
  def: ProviderDefinition,
  api: ProviderApiDescription | undefined,
  call: string,
  accessToken: string,
): Promise<T> {
  const spec = api?.calls[call];
  if (!spec) throw apiNotDescribed(def.id, call);
  return http.telemetry.operation('api', def.id, async (span) => {
    span.set({ 'auth_code.api.call': call });
    const res = await http.send(spec.request(def, accessToken), def.id, 'api');
    return readApiResponse(def, res, spec.response, accessToken) as T;
  });
}
