import { parseObject } from '../core/json';
import { KnownSecrets } from '../core/known-secrets';
import type { DpopKey } from '../core/dpop-key';
import type { EndpointSpec, ProviderDefinition } from '../core/provider-definition';
import type { TokenResponse, TokenSet } from '../core/token-set';
import type { Profile } from '../core/profile';
import {
  ConfigurationError,
  IdTokenError,
  UnexpectedResponseError,
} from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import { buildAuthorizeUrl, type AuthorizeRequest } from './authorize-url.builder';
import { createDpopKey } from './dpop-key';
import { sendTokenCall, sendWithAccessToken } from './dpop.sender';
import { HttpClient, type HttpClientOptions } from './http-client';
import { pushAuthorizationRequest } from './pushed-authorization';
import { buildTokenRequest } from './token-request.builder';
import { isSuccess, parseJsonObject, providerError } from './provider-answer';
import { readTokenResponse } from './token-response.reader';
import type { AuthTelemetry } from '../telemetry/telemetry';

/**
 * Executes any {@link ProviderDefinition}: authorize URL, code exchange, refresh, userinfo, revoke.
 * It never retries (a code is single-use; refresh retry policy belongs to the token service).
 */
export class AuthCodeEngine {
  /** The HTTP client every call goes through. */
  readonly http: HttpClient;

  constructor(options: HttpClientOptions | HttpClient = {}) {
    this.http = options instanceof HttpClient ? options : new HttpClient(options);
  }

  /** Where the engine's operations are reported: its HTTP client's telemetry. */
  get telemetry(): AuthTelemetry {
    return this.http.telemetry;
  }

  /** The URL to send the browser to, parameters included (never pushed: see {@link authorizeRedirect}). */
  authorizeUrl(def: ProviderDefinition, req: AuthorizeRequest): string {
    return buildAuthorizeUrl(def, req);
  }

  /**
   * Where to send the browser: the authorize URL, or — when the definition pushes its
   * authorization requests (RFC 9126) — the authorize endpoint with the `request_uri` the
   * provider answered to the pushed parameters.
   */
  async authorizeRedirect(def: ProviderDefinition, req: AuthorizeRequest): Promise<string> {
    const pushed = def.authorize.pushed;
    return pushed
      ? pushAuthorizationRequest(this.http, def, pushed, req)
      : buildAuthorizeUrl(def, req);
  }

  /**
   * Exchanges an authorization code. The definition's validator (id_token checks) runs before the
   * result is returned, so nothing unverified leaves the engine.
   */
  async exchangeCode(
    def: ProviderDefinition,
    input: { code: string; codeVerifier?: string; nonce?: string },
  ): Promise<TokenResponse> {
    return this.validate(def, await this.requestTokens(def, input), input.nonce);
  }

  /**
   * The wire half of a code exchange: the token call and its answer, read into a
   * {@link TokenResponse} but not yet validated — its id_token is checked against the login's
   * nonce by {@link AuthCodeEngine.acceptLogin}, which must run before anything in it is used.
   */
  async requestTokens(
    def: ProviderDefinition,
    input: { code: string; codeVerifier?: string },
  ): Promise<TokenResponse> {
    return this.telemetry.operation('exchange', def.id, () => this.sendExchange(def, input));
  }

  private async sendExchange(
    def: ProviderDefinition,
    input: { code: string; codeVerifier?: string },
  ): Promise<TokenResponse> {
    const req = buildTokenRequest(def, def.token.exchange, {
      grantType: 'authorization_code',
      code: input.code,
      redirectUri: def.redirectUri,
      codeVerifier: input.codeVerifier,
    });
    // RFC 9449: a key pair of the grant's own, created for its first token call
    const dpopKey = def.dpop ? await createDpopKey(def.dpop.alg) : undefined;
    const res = await sendTokenCall(this.http, req, dpopKey, {
      provider: def.id,
      operation: 'exchange',
    });
    const secrets = knownSecrets(def, input.code, input.codeVerifier);
    const result = readTokenResponse(def, res, 'exchange', Date.now(), secrets);
    if (dpopKey) result.tokenSet.dpopKey = dpopKey;
    return result;
  }

  /**
   * The trust half of a login: validates the token answer (id_token signature, claims, the
   * login's `nonce`), then builds the normalized profile (userinfo where the provider has one).
   */
  async acceptLogin(
    def: ProviderDefinition,
    response: TokenResponse,
    nonce: string | undefined,
  ): Promise<{ response: TokenResponse; profile: Profile }> {
    return this.telemetry.operation('login', def.id, async () => {
      const validated = await this.validate(def, response, nonce);
      return { response: validated, profile: await this.profile(def, validated) };
    });
  }

  /** Runs the definition's validator on a code exchange's answer. */
  private async validate(
    def: ProviderDefinition,
    response: TokenResponse,
    nonce: string | undefined,
  ): Promise<TokenResponse> {
    const claims = await def.validateTokenResult?.(response, { operation: 'exchange', nonce });
    return { ...response, claims };
  }

  /**
   * Refreshes. When the provider returns no new refresh token, the old one is kept (rotation is
   * optional in RFC 6749 6). A 2xx answer whose validation fails for any reason throws an
   * `IdTokenError`: the refresh token has been spent at the provider and must not be sent again.
   * @param dpopKey the grant's DPoP key (its refresh token may be bound to it); a DPoP
   *   definition without one (a grant from before DPoP was turned on) gets a new key
   */
  async refresh(
    def: ProviderDefinition,
    refreshToken: string,
    previousClaims?: Record<string, unknown>,
    dpopKey?: DpopKey,
  ): Promise<TokenResponse> {
    const spec = def.token.refresh;
    if (!spec) {
      throw new ConfigurationError({
        code: 'invalid_config',
        provider: def.id,
        operation: 'refresh',
        message: Messages.noRefreshEndpoint(def.id),
      });
    }
    const req = buildTokenRequest(def, spec, { grantType: 'refresh_token', refreshToken });
    const key = dpopKey ?? (def.dpop ? await createDpopKey(def.dpop.alg) : undefined);
    const res = await sendTokenCall(this.http, req, key, {
      provider: def.id,
      operation: 'refresh',
    });
    const secrets = knownSecrets(def, refreshToken);
    const result = readTokenResponse(def, res, 'refresh', Date.now(), secrets);
    result.tokenSet.refreshToken ??= refreshToken;
    if (key) result.tokenSet.dpopKey = key;
    try {
      const claims = await def.validateTokenResult?.(result, {
        operation: 'refresh',
        previousClaims,
      });
      return { ...result, claims };
    } catch (err) {
      if (err instanceof IdTokenError) throw err;
      // The provider has accepted (and may have rotated) the refresh token: whatever kept us from
      // checking its answer (a JWKS outage), the caller must know the token is spent, not retry it.
      throw new IdTokenError({
        code: 'invalid_id_token',
        provider: def.id,
        operation: 'refresh',
        message: Messages.refreshUnverifiable(def.id, (err as Error).message),
        cause: err,
      });
    }
  }

  /**
   * Calls the userinfo endpoint with the access token.
   * @param tokenSet the token set the access token belongs to: a DPoP-bound one is presented
   *   with a proof (`Authorization: DPoP`). @default a Bearer token
   */
  async userinfo(
    def: ProviderDefinition,
    accessToken: string,
    tokenSet?: Pick<TokenSet, 'tokenType' | 'dpopKey'>,
  ): Promise<Record<string, unknown>> {
    if (!def.userinfo) return {};
    const endpoint = def.userinfo;
    return this.telemetry.operation('userinfo', def.id, () =>
      this.sendUserinfo(def, endpoint, accessToken, tokenSet),
    );
  }

  private async sendUserinfo(
    def: ProviderDefinition,
    endpoint: EndpointSpec,
    accessToken: string,
    tokenSet: Pick<TokenSet, 'tokenType' | 'dpopKey'> | undefined,
  ): Promise<Record<string, unknown>> {
    const res = await sendWithAccessToken(
      this.http,
      {
        url: endpoint.url,
        method: endpoint.method ?? 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
      },
      { tokenType: 'Bearer', ...tokenSet, accessToken },
      { provider: def.id, operation: 'userinfo' },
    );
    const secrets = knownSecrets(def, accessToken);
    const body = parseJsonObject(def, res, 'userinfo', secrets);
    if (!isSuccess(def.token.response ?? {}, res, body))
      throw providerError(def, res, body, 'userinfo', def.errors, secrets);
    return body;
  }

  /**
   * Builds the normalized profile after an exchange: userinfo when the definition has it, checked
   * against the id_token's `sub` (OIDC Core 5.3.2), then the definition's mapper.
   */
  async profile(def: ProviderDefinition, result: TokenResponse): Promise<Profile> {
    const userinfo = def.userinfo
      ? await this.userinfo(def, result.tokenSet.accessToken, result.tokenSet)
      : undefined;
    if (userinfo && result.claims && userinfo.sub !== result.claims.sub) {
      throw new IdTokenError({
        code: 'invalid_id_token',
        provider: def.id,
        operation: 'userinfo',
        message: Messages.userinfoSubMismatch(def.id),
      });
    }
    const mapped = def.profile({ token: result, userinfo, claims: result.claims });
    if (!mapped.id) {
      throw new UnexpectedResponseError({
        code: 'invalid_response',
        provider: def.id,
        operation: 'userinfo',
        message: Messages.noProfileId(def.id),
      });
    }
    return { provider: def.id, ...mapped };
  }

  /** Revokes a token where the provider has a revocation endpoint; a no-op elsewhere. */
  async revoke(
    def: ProviderDefinition,
    token: string,
    hint?: 'access_token' | 'refresh_token',
  ): Promise<boolean> {
    if (!def.revoke) return false;
    const revoke = def.revoke;
    return this.telemetry.operation('revoke', def.id, () =>
      this.sendRevoke(def, revoke, token, hint),
    );
  }

  private async sendRevoke(
    def: ProviderDefinition,
    revoke: NonNullable<ProviderDefinition['revoke']>,
    token: string,
    hint?: 'access_token' | 'refresh_token',
  ): Promise<boolean> {
    const req = buildTokenRequest(
      def,
      {
        url: revoke.url,
        method: revoke.method ?? 'POST',
        clientAuth: revoke.clientAuth ?? def.token.exchange.clientAuth,
        extraParams: { token, ...(hint ? { token_type_hint: hint } : {}) },
      },
      {},
    );
    const res = await this.http.send(req, def.id, 'revoke');
    if (res.status >= 200 && res.status < 300) return true;
    const body = parseObject(res.text) ?? {};
    throw providerError(def, res, body, 'revoke', def.errors, knownSecrets(def, token));
  }
}

/**
 * The secret values a call to `def` sends: its client secret and the call's own code, verifier or
 * token. Errors built from the answer never contain them (a provider may echo them: iSolarCloud's
 * "Invalid authorization code: rFrnww", a fake echoing `demo-xt-secret`).
 */
function knownSecrets(def: ProviderDefinition, ...sent: Array<string | undefined>): KnownSecrets {
  return new KnownSecrets([def.client.clientSecret, ...sent]);
}
