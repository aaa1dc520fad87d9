import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import type { ProviderDefinition } from '../../core/provider-definition';
import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { LoginTransaction, TokenStore } from '../../stores/token-store.interface';
import type { CookieSigner } from '../http/cookie-signer';
import { appendSetCookie, type CookieWritable } from '../http/http-response';
import {
  attemptClientKey,
  LoginAttemptBudget,
  type LoginAttemptLimits,
} from './login-attempt.budget';
import { safeReturnTo } from './return-to';
import { TransactionCookies } from './transaction-cookies';

/** The parts of a request/response the transaction service touches. */
export interface TransactionHttp {
  /** Incoming `Cookie` header. */
  cookieHeader: string | undefined;
  /** The client's address (`req.ip`), for the per-client attempt budget. @default one shared client */
  client?: string;
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
  /**
   * Most pending-login cookies one browser holds; starting one more expires the oldest (that
   * attempt can no longer complete). @default 5
   */
  maxPerBrowser?: number;
  /** Unfinished attempts this process lets start, per client and in total. @default {@link DEFAULT_LOGIN_ATTEMPT_LIMITS} */
  attempts?: LoginAttemptLimits;
  /** Clock, epoch ms (tests). @default Date.now */
  now?: () => number;
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
 * express-session is needed). The cookie is cleared when the callback consumes the attempt; a
 * browser holds at most `maxPerBrowser` of them. Attempts are counted against a budget per client
 * and in total ({@link LoginAttemptBudget}), so anonymous traffic cannot fill the store.
 */
export class LoginTransactionService {
  /** The binding cookies. */
  readonly cookies: TransactionCookies;
  /** The attempt budget of this process. */
  readonly budget: LoginAttemptBudget;
  private readonly now: () => number;

  constructor(
    private readonly store: TokenStore,
    signer: CookieSigner,
    private readonly options: LoginTransactionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.cookies = new TransactionCookies(signer, {
      secure: options.secure,
      ttlSeconds: options.ttlSeconds,
      maxPerBrowser: options.maxPerBrowser ?? 5,
    });
    this.budget = new LoginAttemptBudget(options.attempts, options.ttlSeconds * 1000, this.now);
  }

  /**
   * Creates the transaction for a login and sets its binding cookie (expiring the browser's oldest
   * ones beyond `maxPerBrowser`). Throws `LoginLimitError` (429/503) when the budget is spent.
   */
  async begin(
    http: TransactionHttp,
    def: ProviderDefinition,
    returnTo: unknown,
  ): Promise<BegunTransaction> {
    const state = randomToken(32);
    const binding = randomToken(16);
    const codeVerifier = def.pkce ? createCodeVerifier() : undefined;
    const nonce = def.nonce ? randomToken(32) : undefined;
    const createdAt = this.now();
    const tx: LoginTransaction = {
      state,
      provider: def.id,
      browserId: binding,
      codeVerifier,
      nonce,
      returnTo: safeReturnTo(returnTo),
      createdAt,
    };
    await this.dropOldest(http);
    this.budget.reserve(state, attemptClientKey(http.client), this.cookies.name(state));
    try {
      await this.store.putTransaction(tx, this.options.ttlSeconds * 1000);
    } catch (err) {
      this.budget.release(state);
      throw err;
    }
    appendSetCookie(http.res, this.cookies.issue(state, binding, createdAt));
    return { state, codeChallenge: codeVerifier && s256Challenge(codeVerifier), nonce };
  }

  /**
   * Consumes the transaction named by `state` for `providerId`: it must exist (single use, not
   * expired), belong to this browser, and have been started for this provider (mix-up defence).
   * The binding cookie is found under any configured secret (rotation).
   */
  async complete(
    http: TransactionHttp,
    providerId: string,
    state: string,
  ): Promise<LoginTransaction> {
    const { binding, present } = this.cookies.read(http.cookieHeader, state);
    for (const name of present.length > 0 ? present : [this.cookies.name(state)]) {
      appendSetCookie(http.res, this.cookies.clear(name));
    }
    if (!binding) throw this.error(Messages.stateOtherBrowser(this.options.baseUrl));
    const tx = await this.store.takeTransaction(state);
    if (tx) this.budget.release(state);
    if (!tx || tx.createdAt + this.options.ttlSeconds * 1000 < this.now()) {
      throw this.error(Messages.stateUnknown());
    }
    if (tx.browserId !== binding)
      throw this.error(Messages.stateOtherBrowser(this.options.baseUrl));
    if (tx.provider !== providerId)
      throw this.error(Messages.stateWrongProvider(tx.provider, providerId));
    return tx;
  }

  /**
   * Expires the browser's oldest pending-login cookies beyond `maxPerBrowser`; an attempt begun
   * here goes with its cookie (budget slot and record), since it can no longer complete.
   */
  private async dropOldest(http: TransactionHttp): Promise<void> {
    for (const name of this.cookies.oldest(http.cookieHeader)) {
      appendSetCookie(http.res, this.cookies.clear(name));
      const state = this.budget.releaseTagged(name);
      if (state !== undefined) await this.store.takeTransaction(state);
    }
  }

  /** Cookie name for a state under the signing secret: a keyed digest, so it reveals nothing. */
  cookieName(state: string): string {
    return this.cookies.name(state);
  }

  private error(message: string): StateError {
    return new StateError({ code: 'invalid_state', operation: 'callback', message });
  }
}
