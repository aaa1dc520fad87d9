import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import type { ProviderDefinition } from '../../core/provider-definition';
import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { LoginTransaction, TokenStore } from '../../tokens/stores/token-store.interface';
import type { CookieSigner } from '../session/cookie-signer';
import { appendSetCookie, type CookieWritable } from '../http/http-response';
import { readCookie, serializeCookie } from '../session/cookies';
import { safeReturnTo } from './return-to';

/** The parts of a request/response the transaction service touches. */
export interface TransactionHttp {
  /** Incoming `Cookie` header. */
  cookieHeader: string | undefined;
  /** Outgoing response, for `Set-Cookie`. */
  res: CookieWritable;
}

/** Options of {@link LoginTransactionService}. */
export interface LoginTransactionOptions {
  /** Lifetime of a login attempt, seconds. @default 600 */
  ttlSeconds: number;
  /** Set the Secure attribute and the `__Host-` prefix (https deployments). */
  secure: boolean;
  /** The app's public base URL, named when a callback finds no attempt cookie. */
  baseUrl: string;
}

/** What the authorize URL needs from a new transaction. */
export interface BegunTransaction {
  /** The state to send. */
  state: string;
  /** PKCE S256 challenge, when the provider uses PKCE. */
  codeChallenge?: string;
  /** OIDC nonce, when the provider uses one. */
  nonce?: string;
}

/**
 * One login attempt = one server-side record keyed by a random `state`, single-use, short-lived, and
 * bound to the browser by its own signed cookie (so several tabs can log in at once, and no
 * express-session is needed). The cookie is cleared when the callback consumes the attempt.
 */
export class LoginTransactionService {
  constructor(
    private readonly store: TokenStore,
    private readonly signer: CookieSigner,
    private readonly options: LoginTransactionOptions,
  ) {}

  /** Creates the transaction for a login and sets its binding cookie. */
  async begin(
    http: TransactionHttp,
    def: ProviderDefinition,
    returnTo: unknown,
  ): Promise<BegunTransaction> {
    const state = randomToken(32);
    const binding = randomToken(16);
    const codeVerifier = def.pkce ? createCodeVerifier() : undefined;
    const nonce = def.nonce ? randomToken(32) : undefined;
    const tx: LoginTransaction = {
      state,
      provider: def.id,
      browserId: binding,
      codeVerifier,
      nonce,
      returnTo: safeReturnTo(returnTo),
      createdAt: Date.now(),
    };
    await this.store.putTransaction(tx, this.options.ttlSeconds * 1000);
    appendSetCookie(
      http.res,
      this.cookie(state, this.signer.sign(binding), this.options.ttlSeconds),
    );
    return { state, codeChallenge: codeVerifier && s256Challenge(codeVerifier), nonce };
  }

  /**
   * Consumes the transaction named by `state` for `providerId`: it must exist (single use, not
   * expired), belong to this browser, and have been started for this provider (mix-up defence).
   */
  async complete(
    http: TransactionHttp,
    providerId: string,
    state: string,
  ): Promise<LoginTransaction> {
    const name = this.cookieName(state);
    const binding = this.signer.unsign(readCookie(http.cookieHeader, name));
    appendSetCookie(http.res, this.cookie(state, '', 0));
    if (!binding) throw this.error(Messages.stateOtherBrowser(this.options.baseUrl));
    const tx = await this.store.takeTransaction(state);
    if (!tx || tx.createdAt + this.options.ttlSeconds * 1000 < Date.now()) {
      throw this.error(Messages.stateUnknown());
    }
    if (tx.browserId !== binding)
      throw this.error(Messages.stateOtherBrowser(this.options.baseUrl));
    if (tx.provider !== providerId)
      throw this.error(Messages.stateWrongProvider(tx.provider, providerId));
    return tx;
  }

  /** Cookie name for a state: a keyed digest, so the name reveals nothing and tabs don't collide. */
  cookieName(state: string): string {
    return `${this.options.secure ? '__Host-' : ''}auth_tx_${this.signer.digest(state)}`;
  }

  private cookie(state: string, value: string, maxAge: number): string {
    return serializeCookie(this.cookieName(state), value, {
      maxAge,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.options.secure,
    });
  }

  private error(message: string): StateError {
    return new StateError({ code: 'invalid_state', operation: 'callback', message });
  }
}
