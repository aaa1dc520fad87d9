import { KnownSecrets } from '../core/known-secrets';
import type { PushedAuthorizationSpec, ProviderDefinition } from '../core/provider-definition';
import { redactBody } from '../core/redact';
import { UnexpectedResponseError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import { authorizeParams, paramName, type AuthorizeRequest } from './authorize-url.builder';
import type { HttpClient } from './http-client';
import { parseJsonObject, providerError } from './provider-answer';
import { buildTokenRequest } from './token-request.builder';

/** Longest `request_uri` accepted (it goes into the browser's URL). */
const MAX_REQUEST_URI = 2048;

/**
 * RFC 9126: pushes the authorize parameters (state included) to the provider's pushed
 * authorization request endpoint, with the client authentication of the token call, and returns
 * the URL the browser is sent to: the authorize endpoint with only `client_id` and the
 * `request_uri` the provider answered. A refusal is the provider's typed error (operation
 * `authorize`), an answer without a usable `request_uri` an `invalid_response` (502).
 */
export async function pushAuthorizationRequest(
  http: HttpClient,
  def: ProviderDefinition,
  pushed: PushedAuthorizationSpec,
  req: AuthorizeRequest,
): Promise<string> {
  const spec = def.authorize;
  const params = authorizeParams(def, req);
  params.set(paramName(spec, 'state') ?? 'state', req.state);
  const { clientAuth, secretHeader } = def.token.exchange;
  const request = buildTokenRequest(
    def,
    { url: pushed.url, clientAuth, secretHeader, extraParams: Object.fromEntries(params) },
    {},
  );
  const res = await http.send(request, def.id, 'authorize');
  const secrets = new KnownSecrets([def.client.clientSecret]);
  const body = parseJsonObject(def, res, 'authorize', secrets);
  const requestUri = body.request_uri;
  if (res.status !== 201 && res.status !== 200) {
    throw providerError(def, res, body, 'authorize', def.errors, secrets);
  }
  if (typeof requestUri !== 'string' || requestUri === '' || requestUri.length > MAX_REQUEST_URI) {
    throw new UnexpectedResponseError({
      code: 'invalid_response',
      provider: def.id,
      operation: 'authorize',
      upstreamStatus: res.status,
      redactedBody: redactBody(res.text, secrets),
      message: Messages.parNoRequestUri(def.id),
    });
  }
  const url = new URL(spec.url);
  url.searchParams.set(paramName(spec, 'clientId') ?? 'client_id', def.client.clientId);
  url.searchParams.set('request_uri', requestUri);
  return url.toString();
}
