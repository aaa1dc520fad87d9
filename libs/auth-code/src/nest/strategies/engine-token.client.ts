import type { ProviderRegistry } from '../../core/provider-registry';
import type { TokenResponse } from '../../core/token-set';
import type { AuthCodeEngine } from '../../engine/auth-code.engine';

type TokenCallback = (
  err: unknown,
  accessToken?: string,
  refreshToken?: string,
  response?: TokenResponse,
) => void;

/**
 * What passport-oauth2 calls for its token request (its `_oauth2`), answered by the engine with the
 * provider's definition: passport-oauth2 alone always POSTs a form and reads a bare RFC body, where
 * a definition may say JSON, a GET with the query, an envelope, odd expiry units. The answer goes
 * to `validate` as passport-oauth2's `params`: read, not yet trusted (its id_token is checked there,
 * against the login's nonce).
 */
export class EngineTokenClient {
  /** Read by passport-oauth2 for its state store's `meta`; never fetched. */
  readonly _authorizeUrl: string;
  /** Read by passport-oauth2 for its state store's `meta`; never fetched. */
  readonly _accessTokenUrl: string;
  /** Read by passport-oauth2 for its state store's `meta`. */
  readonly _clientId: string;

  constructor(
    private readonly providerId: string,
    private readonly registry: ProviderRegistry,
    private readonly engine: AuthCodeEngine,
  ) {
    this._authorizeUrl = this._accessTokenUrl = `https://nestjs-auth-code.invalid/${providerId}`;
    this._clientId = providerId;
  }

  /** passport-oauth2's token call: the code (and PKCE verifier) exchanged through the engine. */
  getOAuthAccessToken(
    code: string,
    params: { code_verifier?: string },
    callback: TokenCallback,
  ): void {
    this.registry
      .get(this.providerId)
      .then((def) => this.engine.requestTokens(def, { code, codeVerifier: params.code_verifier }))
      .then(
        (response) =>
          callback(null, response.tokenSet.accessToken, response.tokenSet.refreshToken, response),
        (err: unknown) => callback(err),
      );
  }
}
