import { Strategy as OAuth2Strategy, type StrategyOptionsWithRequest } from 'passport-oauth2';
import type { ProviderDefinition } from '../../core/provider-definition';
import type { ProviderRegistry } from '../../core/provider-registry';
import type { Profile, TokenSet } from '../../core/token-set';
import type { AuthCodeEngine, ExchangeResult } from '../../engine/auth-code.engine';
import { AuthCodeError, ProviderRejectedError } from '../../errors/auth-code.errors';
import { checkCallbackIssuer } from '../../providers/oidc/callback-issuer.check';
import { Messages } from '../../errors/error-messages';
import type { LoginTransaction } from '../../tokens/stores/token-store.interface';
import { cookieHeader, requestPath, type HttpRequestLike } from '../http/http-request';
import type { HttpResponseLike } from '../http/http-response';
import { isCallbackRequest, readCallbackParams } from '../transactions/callback-params';
import type { LoginTransactionService } from '../transactions/login-transaction.service';

/** What a successful callback yields (becomes `req.user` on the callback route). */
export interface AuthCodeLogin {
  /** Provider id. */
  provider: string;
  /** Normalized profile. */
  profile: Profile;
  /** Tokens; keep them server-side (TokenService), never send them to the browser. */
  tokenSet: TokenSet;
  /** Verified id_token claims (OIDC). */
  claims?: Record<string, unknown>;
  /** Where to send the browser next (validated same-origin path). */
  returnTo: string;
}

/** Dependencies of a provider strategy. */
export interface AuthCodeStrategyDeps {
  /** The provider this strategy logs in with. */
  providerId: string;
  /** Enabled providers. */
  registry: ProviderRegistry;
  /** The protocol engine. */
  engine: AuthCodeEngine;
  /** Login transactions (state, PKCE, nonce, returnTo). */
  transactions: LoginTransactionService;
  /** The Passport instance the strategy registers with (one per module, not the global one). */
  passport: { use(name: string, strategy: unknown): unknown };
}

/** Options a guard passes to `authenticate`. */
export interface AuthCodeAuthenticateOptions {
  /** Path to return to after login. */
  returnTo?: unknown;
  /** The response the login attempt's cookies are written to (Express or Fastify). */
  response: HttpResponseLike;
}

/** A request as the strategy reads it (Express or Fastify). */
type StrategyRequest = HttpRequestLike & { query?: Record<string, unknown> };

type PerRequest = EngineOAuth2Strategy & { _authCodeResult?: ExchangeResult };

/**
 * passport-oauth2's Strategy with the token call, state store and profile loading delegated to the
 * engine and a provider definition. passport-oauth2 alone always POSTs a form and reads a bare RFC
 * body; here the definition decides (JSON body, GET with query, envelopes, odd expiry units).
 *
 * The authorize leg is built by the engine (fragment URLs, renamed parameters); the callback leg is
 * passport-oauth2's own, run after the login transaction has been verified and consumed.
 */
export class EngineOAuth2Strategy extends OAuth2Strategy {
  /** Dependencies. */
  protected readonly deps: AuthCodeStrategyDeps;

  constructor(deps: AuthCodeStrategyDeps, verify: (...args: any[]) => void) {
    const placeholder = `https://nestjs-auth-code.invalid/${deps.providerId}`;
    // The engine makes every upstream call, so passport-oauth2's own URLs are never fetched.
    const options: StrategyOptionsWithRequest = {
      authorizationURL: placeholder,
      tokenURL: placeholder,
      clientID: deps.providerId,
      clientSecret: '',
      passReqToCallback: true,
    };
    super(options, verify);
    this.deps = deps;
    this.name = deps.providerId;
  }

  /** Used by `@nestjs/passport`'s mixin: strategies register with the module's own Passport. */
  getPassportInstance(): AuthCodeStrategyDeps['passport'] {
    return this.deps.passport;
  }

  /** Authorize leg → redirect to the provider; callback leg → verify, exchange, profile, success. */
  override authenticate(req: StrategyRequest, options: AuthCodeAuthenticateOptions): void {
    this.isCallback(req)
      .then((callback) => (callback ? this.callback(req, options) : this.authorize(req, options)))
      .catch((err: unknown) => this.error(err as Error));
  }

  /**
   * The callback leg: the provider sent a code, an error or a state, or the request is at the
   * redirect URI's path. A bare request at the redirect URI is a callback without state (400), not
   * a new login (which would leave the callback route without a user).
   */
  private async isCallback(req: StrategyRequest): Promise<boolean> {
    if (isCallbackRequest(req.query)) return true;
    const { redirectUri } = await this.deps.registry.get(this.deps.providerId);
    return URL.canParse(redirectUri) && new URL(redirectUri).pathname === requestPath(req);
  }

  private async authorize(
    req: StrategyRequest,
    options: AuthCodeAuthenticateOptions,
  ): Promise<void> {
    const def = await this.deps.registry.get(this.deps.providerId);
    const begun = await this.deps.transactions.begin(http(req, options), def, options.returnTo);
    this.redirect(this.deps.engine.authorizeUrl(def, begun));
  }

  private async callback(
    req: StrategyRequest,
    options: AuthCodeAuthenticateOptions,
  ): Promise<void> {
    const params = readCallbackParams(req.query ?? {});
    const tx = await this.deps.transactions.complete(
      http(req, options),
      this.deps.providerId,
      params.state,
    );
    const def = await this.deps.registry.get(this.deps.providerId);
    if (params.error) {
      throw new ProviderRejectedError({
        code: params.error === 'access_denied' ? 'access_denied' : 'provider_error',
        provider: def.id,
        operation: 'authorize',
        providerCode: params.error,
        providerMessage: params.errorDescription,
        message: Messages.providerDenied(def.displayName, params.error, params.errorDescription),
      });
    }
    checkCallbackIssuer(def, params.iss);
    this.delegateCallback(req, options, def, tx);
  }

  /** Runs passport-oauth2's callback leg with the engine behind its token call and profile load. */
  private delegateCallback(
    req: StrategyRequest,
    options: AuthCodeAuthenticateOptions,
    def: ProviderDefinition,
    tx: LoginTransaction,
  ): void {
    const self = this as PerRequest;
    const engine = this.deps.engine;
    // `this` is a per-request object (passport does Object.create(strategy)): overriding here is safe.
    Object.assign(self, {
      _stateStore: {
        store: (_req: unknown, _meta: unknown, cb: (err: Error | null) => void) => cb(null),
        verify: (
          _req: unknown,
          _state: unknown,
          cb: (e: null, ok: string | true, info: object) => void,
        ) => cb(null, tx.codeVerifier ?? true, { returnTo: tx.returnTo }),
      },
      _oauth2: Object.assign(Object.create(this._oauth2), {
        getOAuthAccessToken: (code: string, _p: unknown, cb: (...a: unknown[]) => void) => {
          engine.exchangeCode(def, { code, codeVerifier: tx.codeVerifier, nonce: tx.nonce }).then(
            (result) => {
              self._authCodeResult = result;
              cb(null, result.tokenSet.accessToken, result.tokenSet.refreshToken, { result, tx });
            },
            (err: unknown) => cb(err),
          );
        },
      }),
      _skipUserProfile: false,
    });
    // passport-oauth2 reads only `query`, `body` and `url` of the request: Fastify's have them too.
    super.authenticate(req as never, options as never);
  }

  /** Loads the normalized profile through the engine (userinfo and/or token payload). */
  override userProfile(
    _accessToken: string,
    done: (err?: unknown, profile?: Profile) => void,
  ): void {
    const result = (this as PerRequest)._authCodeResult;
    if (!result) return done(new Error('userProfile called before the code exchange'));
    this.deps.registry
      .get(this.deps.providerId)
      .then((def) => this.deps.engine.profile(def, result))
      .then(
        (p) => done(null, p),
        (err: unknown) => done(err),
      );
  }

  /** Keeps our typed errors as they are instead of wrapping them in InternalOAuthError. */
  protected _createOAuthError(message: string, err: unknown): Error {
    return err instanceof AuthCodeError ? err : new Error(message, { cause: err });
  }
}

function http(req: StrategyRequest, options: AuthCodeAuthenticateOptions) {
  return { cookieHeader: cookieHeader(req), client: req.ip, res: options.response };
}
