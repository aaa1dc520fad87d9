import type { ProviderDefinition, TokenParam, TokenRequestSpec } from '../core/provider-definition';
import type { HttpRequest } from './http-client';

const DEFAULT_NAMES: Record<TokenParam, string> = {
  grantType: 'grant_type',
  code: 'code',
  redirectUri: 'redirect_uri',
  refreshToken: 'refresh_token',
  codeVerifier: 'code_verifier',
  clientId: 'client_id',
  clientSecret: 'client_secret',
};

/** RFC 6749 2.3.1: id and secret are form-urlencoded before being joined for Basic auth. */
function basic(id: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/**
 * Builds the HTTP request of a token call (exchange or refresh) from the definition's spec and the
 * grant's values, placing client credentials where the provider wants them.
 */
export function buildTokenRequest(
  def: ProviderDefinition,
  spec: TokenRequestSpec,
  values: Partial<Record<TokenParam, string>>,
): HttpRequest {
  const method = spec.method ?? 'POST';
  const encoding = method === 'GET' ? 'query' : (spec.encoding ?? 'form');
  const auth = spec.clientAuth ?? 'client_secret_post';
  const name = (p: TokenParam) =>
    spec.paramNames && p in spec.paramNames ? spec.paramNames[p] : DEFAULT_NAMES[p];
  const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
  const { clientId, clientSecret = '' } = def.client;

  const all: Partial<Record<TokenParam, string>> = { ...values };
  if (auth === 'client_secret_basic') {
    headers.authorization = basic(clientId, clientSecret);
  } else {
    all.clientId = clientId;
    if (auth === 'client_secret_post') all.clientSecret = clientSecret;
    if (auth === 'secret_header')
      headers[(spec.secretHeader ?? 'x-client-secret').toLowerCase()] = clientSecret;
  }

  const params: Record<string, string> = {};
  for (const [param, value] of Object.entries(all) as Array<[TokenParam, string | undefined]>) {
    const key = name(param);
    if (key && value !== undefined) params[key] = value;
  }
  Object.assign(params, spec.extraParams);

  if (encoding === 'query') {
    const url = new URL(spec.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { url: url.toString(), method, headers };
  }
  if (encoding === 'json') {
    headers['content-type'] = 'application/json';
    return { url: spec.url, method, headers, body: JSON.stringify(params) };
  }
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return { url: spec.url, method, headers, body: new URLSearchParams(params).toString() };
}
