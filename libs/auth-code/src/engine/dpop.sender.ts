import { parseObject } from '../core/json';
import type { DpopKey } from '../core/dpop-key';
import type { TokenSet } from '../core/token-set';
import type { AuthOperation } from '../errors/operation';
import { dpopNoncesOf } from './dpop-nonces';
import { dpopProof } from './dpop-proof';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client';

/** What a DPoP call is, for its error labels and its proof. */
export interface DpopCall {
  /** Provider id (error labels). */
  provider: string;
  /** The protocol step (error labels). */
  operation: AuthOperation;
  /** The access token a resource request presents (`ath`). */
  accessToken?: string;
}

/**
 * Sends `req` with a DPoP proof signed by `key`, carrying the server's latest nonce. When the
 * server answers `use_dpop_nonce` with a new `DPoP-Nonce` — the token endpoint with a 400, a
 * resource server with a 401 and `WWW-Authenticate: DPoP error="use_dpop_nonce"` — it is sent once
 * more with a fresh proof carrying that nonce (RFC 9449 8 and 9). The server refused the request
 * before acting on it, so even a code exchange (never retried otherwise) is sent again here.
 */
export async function sendWithDpop(
  http: HttpClient,
  req: HttpRequest,
  key: DpopKey,
  call: DpopCall,
): Promise<HttpResponse> {
  const nonces = dpopNoncesOf(http);
  const once = async (nonce: string | undefined) => {
    const proof = await dpopProof(key, {
      method: req.method,
      url: req.url,
      nonce,
      accessToken: call.accessToken,
    });
    const res = await http.send(
      { ...req, headers: { ...req.headers, dpop: proof } },
      call.provider,
      call.operation,
    );
    nonces.set(req.url, res.dpopNonce);
    return res;
  };
  const sent = nonces.get(req.url);
  const res = await once(sent);
  if (!asksForNonce(res) || res.dpopNonce === undefined || res.dpopNonce === sent) return res;
  return once(res.dpopNonce);
}

/** A token call: with a DPoP proof when the grant has a key, else as it is. */
export function sendTokenCall(
  http: HttpClient,
  req: HttpRequest,
  key: DpopKey | undefined,
  call: Omit<DpopCall, 'accessToken'>,
): Promise<HttpResponse> {
  return key ? sendWithDpop(http, req, key, call) : http.send(req, call.provider, call.operation);
}

/** Whether the answer is RFC 9449's "use this nonce" refusal. */
export function asksForNonce(res: HttpResponse): boolean {
  if (res.status === 400) return parseObject(res.text)?.error === 'use_dpop_nonce';
  if (res.status !== 401) return false;
  // bounded (1 KB) by the HTTP client, so a plain search stays linear
  const challenge = res.wwwAuthenticate.toLowerCase();
  return challenge.includes('dpop') && challenge.includes('error="use_dpop_nonce"');
}

/** Whether a token set is DPoP-bound: the provider answered `token_type: DPoP` to our proof. */
export function isDpopBound(
  tokenSet: Pick<TokenSet, 'tokenType' | 'dpopKey'>,
): tokenSet is Pick<TokenSet, 'tokenType'> & { dpopKey: DpopKey } {
  return tokenSet.dpopKey !== undefined && tokenSet.tokenType.toLowerCase() === 'dpop';
}

/**
 * Sends a request made with an access token: as it is for a Bearer token; for a DPoP-bound one
 * with `Authorization: DPoP <token>` instead of `Bearer` and a proof naming the token (`ath`).
 */
export function sendWithAccessToken(
  http: HttpClient,
  req: HttpRequest,
  tokenSet: Pick<TokenSet, 'accessToken' | 'tokenType' | 'dpopKey'>,
  call: Omit<DpopCall, 'accessToken'>,
): Promise<HttpResponse> {
  if (!isDpopBound(tokenSet)) return http.send(req, call.provider, call.operation);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] =
      name.toLowerCase() === 'authorization' && /^bearer /i.test(value)
        ? `DPoP ${value.slice('bearer '.length)}`
        : value;
  }
  return sendWithDpop(http, { ...req, headers }, tokenSet.dpopKey, {
    ...call,
    accessToken: tokenSet.accessToken,
  });
}
