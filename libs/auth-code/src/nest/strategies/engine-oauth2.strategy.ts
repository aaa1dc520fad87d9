import { Strategy as OAuth2Strategy, type StrategyOptionsWithRequest } from 'passport-oauth2';
import type { ProviderRegistry } from '../../core/provider-registry';
import type { TokenResponse } from '../../core/token-set';
import type { AuthCodeEngine } from '../../engine/auth-code.engine';
import { AuthCodeError, ProviderRejectedError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { AuthCodeLogin } from '../../tokens/token.types';
import { cookieHeader, requestPath } from '../http/http-request';
import type { CookieWritable } from '../http/http-response';
import { isCallbackRequest, readCallbackParams } from '../transactions/callback-params';
import type { LoginTransactionService } from '../transactions/login-transaction.service';
import { EngineTokenClient } from './engine-token.client';
import { beginLoginRequest, loginRequest, type StrategyRequest } from './strategy-request';
import { TransactionStateStore } from './transaction-state.store';

export type { AuthCodeLogin } from '../../tokens/token.types';

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
  response: CookieWritable;
}

/**
 * passport-oauth2's Strategy, configured once at construction to run on the engine: its state
 * store is the library's login transactions, its token call is the engine with the provider's
 * definition, and its verify step validates the answer (id_token, nonce) and builds the profile.
 * The callback leg is passport-oauth2's own flow; only the authorize leg is the engine's, because
 * passport-oauth2 cannot build the URLs some providers want (iSolarCloud's single-page-app
 * fragment, renamed parameters, a nonce).
 */
export class EngineOAuth2Strategy extends OAuth2Strategy {
  /** Dependencies. */
  protected readonly deps: AuthCodeStrategyDeps;

  constructor(deps: AuthCodeStrategyDeps, verify: (...args: any[]) => void) {
    const placeholder = `https://nestjs-auth-code.invalid/${deps.providerId}`;
    const options: StrategyOptionsWithRequest = {
      // never fetched: the engine makes every upstream call
      authorizationURL: placeholder,
      tokenURL: placeholder,
      clientID: deps.providerId,
      clientSecret: '',
      passReqToCallback: true,
      // the profile is built in the verify step, from the validated answer
      skipUserProfile: true,
      store: new TransactionStateStore(
        deps.providerId,
        deps.registry,
        deps.transactions,
      ) as unknown as StrategyOptionsWithRequest['store'],
    };
    super(options, verify);
    // passport-oauth2's token call, replaced once: the engine runs the provider's definition.
    this._oauth2 = new EngineTokenClient(
      deps.providerId,
      deps.registry,
      deps.engine,
    ) as unknown as typeof this._oauth2;
    this.deps = deps;
    this.name = deps.providerId;
  }

  /** Used by `@nestjs/passport`'s mixin: strategies register with the module's own Passport. */
  getPassportInstance(): AuthCodeStrategyDeps['passport'] {
    return this.deps.passport;
  }

  /** Authorize leg → redirect to the provider; callback leg → passport-oauth2's, on the engine. */
  override authenticate(req: StrategyRequest, options: AuthCodeAuthenticateOptions): void {
    beginLoginRequest(req, options.response);
    this.isCallback(req)
      .then((callback) => (callback ? this.callback(req, options) : this.authorize(req, options)))
      .catch((err: unknown) => this.error(err as Error));
  }

  /**
   * The provider's answer, trusted: the id_token checked against the login's nonce, the profile
   * built. What the verify callback (`validate`) returns for `req.user`.
   */
  protected async completeLogin(req: unknown, response: TokenResponse): Promise<AuthCodeLogin> {
    const { transaction } = loginRequest(req);
    if (!transaction) throw new Error('nestjs-auth-code: verify ran without a completed login');
    const def = await this.deps.registry.get(this.deps.providerId);
    const accepted = await this.deps.engine.acceptLogin(def, response, transaction.nonce);
    return {
      provider: def.id,
      profile: accepted.profile,
      tokenSet: accepted.response.tokenSet,
      claims: accepted.response.claims,
      returnTo: transaction.returnTo,
    };
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

  private async authorize(req: StrategyRequest, options: AuthCodeAuthenticateOptions) {
    const { engine, providerId } = this.deps;
    const url = await engine.telemetry.operation('authorize', providerId, async () => {
      const def = await this.deps.registry.get(providerId);
      const http = { cookieHeader: cookieHeader(req), client: req.ip, res: options.response };
      const begun = await this.deps.transactions.begin(http, def, options.returnTo);
      return engine.authorizeRedirect(def, begun);
    });
    this.redirect(url);
  }

  /**
   * Bad input is refused before anything (missing, repeated, oversized parameters); a provider's
   * `error` consumes the attempt and becomes our typed error (passport-oauth2 would hide it behind
   * a bare failure); a code goes through passport-oauth2's callback flow.
   */
  private async callback(req: StrategyRequest, options: AuthCodeAuthenticateOptions) {
    const params = readCallbackParams(req.query ?? {});
    if (!params.error) {
      super.authenticate(req as never, options as never);
      return;
    }
    const http = { cookieHeader: cookieHeader(req), client: req.ip, res: options.response };
    await this.deps.transactions.complete(http, this.deps.providerId, params.state);
    const def = await this.deps.registry.get(this.deps.providerId);
    throw new ProviderRejectedError({
      code: params.error === 'access_denied' ? 'access_denied' : 'provider_error',
      provider: def.id,
      operation: 'authorize',
      providerCode: params.error,
      providerMessage: params.errorDescription,
      message: Messages.providerDenied(def.displayName, params.error, params.errorDescription),
    });
  }

  /** Keeps our typed errors as they are instead of wrapping them in InternalOAuthError. */
  protected _createOAuthError(message: string, err: unknown): Error {
    return err instanceof AuthCodeError ? err : new Error(message, { cause: err });
  }
}
