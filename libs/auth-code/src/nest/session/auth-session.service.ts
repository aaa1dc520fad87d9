import { Logger } from '@nestjs/common';
import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { TokenService } from '../../tokens/token.service';
import type { SessionRecord } from '../../stores/token-store.interface';
import type { AuthCodeLogin } from '../strategies/engine-oauth2.strategy';
import type { CookieSigner } from '../http/cookie-signer';
import { acceptsHtml, cookieHeader, type HttpRequestLike } from '../http/http-request';
import { appendSetCookie, redirect, send, type HttpResponseLike } from '../http/http-response';
import { readCookie, serializeCookie } from '../http/cookies';
import { isCrossSite } from './same-origin.check';
import type { ProviderLogout, ProviderLogoutRedirect } from './provider-logout';
import { VerifiedCookies } from './verified-cookies';

const logger = new Logger('AuthCode');

/** Options of {@link AuthSessionService}. */
export interface AuthSessionOptions {
  /** Secure cookies with the `__Host-` prefix (https). */
  secure: boolean;
  /** Session lifetime, seconds. */
  ttlSeconds: number;
  /**
   * The app's public base URL: a logout whose `Origin` is another origin is refused.
   * @default no Origin comparison (`Sec-Fetch-Site` is still checked)
   */
  baseUrl?: string;
}

/**
 * The browser side of a session: an opaque 256-bit id in a signed, HttpOnly, SameSite=Lax cookie.
 * Everything else (profile, tokens) stays server-side in the token store.
 */
export class AuthSessionService {
  /** Name of the session cookie. */
  readonly cookieName: string;
  private readonly verified = new VerifiedCookies();
  private readonly origin?: string;

  constructor(
    private readonly tokens: TokenService,
    private readonly signer: CookieSigner,
    private readonly options: AuthSessionOptions,
    /** Logout at the provider (`providerLogout`); without it logout ends only this app's session. */
    private readonly atProvider?: ProviderLogout,
  ) {
    this.cookieName = options.secure ? '__Host-auth_session' : 'auth_session';
    this.origin = options.baseUrl ? new URL(options.baseUrl).origin.toLowerCase() : undefined;
  }

  /**
   * The session id named by the request's cookie, when its signature verifies. Reads only this
   * cookie; the HMAC is checked once per cookie value and process ({@link VerifiedCookies}).
   */
  sessionId(req: Pick<HttpRequestLike, 'headers'>): string | undefined {
    const signed = readCookie(cookieHeader(req), this.cookieName);
    if (!signed) return undefined;
    const known = this.verified.get(signed);
    if (known !== undefined) return known;
    const id = this.signer.unsign(signed);
    if (id !== undefined) this.verified.add(signed, id);
    return id;
  }

  /**
   * The session of the request: synchronously when the store can answer without I/O (the memory
   * store), else a promise of one store read. `null`/`undefined` when there is none.
   */
  lookup(
    req: Pick<HttpRequestLike, 'headers'>,
  ): SessionRecord | null | undefined | Promise<SessionRecord | undefined> {
    const id = this.sessionId(req);
    if (!id) return null;
    const peeked = this.tokens.peekSession(id);
    return peeked !== undefined
      ? browserOnly(peeked)
      : this.tokens.getSession(id).then(browserOnly);
  }

  /** The session of the request, or undefined. One store read. */
  async current(req: Pick<HttpRequestLike, 'headers'>): Promise<SessionRecord | undefined> {
    const id = this.sessionId(req);
    return id ? browserOnly(await this.tokens.getSession(id)) : undefined;
  }

  /**
   * Whether the request's cookie names a session that a newer login of this browser replaced a
   * moment ago (two tabs logging in at once): the request is logged out, but a page may reload —
   * the other tab's login answer has set the new cookie by then.
   */
  async wasReplaced(req: Pick<HttpRequestLike, 'headers'>): Promise<boolean> {
    const id = this.sessionId(req);
    return id !== undefined && (await this.tokens.wasReplaced(id));
  }

  /**
   * Stores a completed login and sets the cookie. A new session id is issued at every login
   * (session fixation); grants of other providers of the current session are carried over.
   */
  async establish(
    req: HttpRequestLike,
    res: HttpResponseLike,
    login: AuthCodeLogin,
  ): Promise<SessionRecord> {
    const session = await this.tokens.saveLogin(this.sessionId(req), login);
    this.forget(req);
    appendSetCookie(res, this.cookie(this.signer.sign(session.id), this.options.ttlSeconds));
    return session;
  }

  /**
   * Logs out: revokes where the provider can, deletes server-side state, clears the cookie. A
   * request another site made (`Origin` / `Sec-Fetch-Site`, when the browser sends them) is
   * refused with 403 `cross_site_request` and the session is left as it was: defence in depth
   * beside SameSite=Lax, which a same-site subdomain or an old browser does not stop.
   */
  async destroy(req: HttpRequestLike, res: HttpResponseLike): Promise<void> {
    this.refuseCrossSite(req);
    const id = this.sessionId(req);
    if (id) await this.tokens.logout(id);
    this.forget(req);
    appendSetCookie(res, this.cookie('', 0));
  }

  /**
   * Logs out and answers, on Express or Fastify: a browser's form post gets `303` to `landing`,
   * any other client `204`. With logout at the provider on for the session's login provider
   * (`providerLogout`), a browser gets `303` to the provider's logout page instead, which sends it
   * back to {@link completeProviderLogout}'s route. Use it from a route that takes the response
   * (`@Res()`).
   * @param landing same-origin path a browser lands on. @default '/'
   */
  async logout(req: HttpRequestLike, res: HttpResponseLike, landing = '/'): Promise<void> {
    this.refuseCrossSite(req);
    const browser = acceptsHtml(req);
    // read before the session goes: the provider's logout page wants the login's id_token
    const atProvider = browser ? await this.providerRedirect(req) : undefined;
    await this.destroy(req, res);
    if (atProvider) {
      appendSetCookie(res, atProvider.cookie);
      redirect(res, 303, atProvider.url);
    } else if (browser) redirect(res, 303, landing);
    else send(res, 204);
  }

  /**
   * The route the provider's logout page sends the browser back to (`post_logout_redirect_uri`,
   * default `/auth/logout/return`): checks the returned `state` against this browser's cookie,
   * then `303` to `landing`. A state that does not match answers 400 `invalid_state` (the session
   * here has ended anyway).
   * @param landing same-origin path a browser lands on. @default '/'
   */
  completeProviderLogout(req: HttpRequestLike, res: HttpResponseLike, landing = '/'): void {
    this.atProvider?.verifyReturn(req, res);
    redirect(res, 303, landing);
  }

  /** The provider logout redirect for the request's session; a failure ends only our session. */
  private async providerRedirect(
    req: HttpRequestLike,
  ): Promise<ProviderLogoutRedirect | undefined> {
    if (!this.atProvider) return undefined;
    const session = await this.current(req);
    if (!session) return undefined;
    try {
      return await this.atProvider.redirectFor(session);
    } catch (err) {
      logger.warn(
        `Logout at ${session.user.provider} is not possible (${(err as Error).message}); ending the session here only`,
      );
      return undefined;
    }
  }

  /** A logout another site made is refused (403), before anything is read or ended. */
  private refuseCrossSite(req: HttpRequestLike): void {
    if (isCrossSite(req.headers, this.origin)) {
      throw new StateError({
        code: 'cross_site_request',
        operation: 'session',
        message: Messages.logoutCrossSite(),
      });
    }
  }

  /** Drops the request's cookie value from the memo: its session was just replaced or ended. */
  private forget(req: Pick<HttpRequestLike, 'headers'>): void {
    const signed = readCookie(cookieHeader(req), this.cookieName);
    if (signed) this.verified.delete(signed);
  }

  private cookie(value: string, maxAge: number): string {
    return serializeCookie(this.cookieName, value, { maxAge, secure: this.options.secure });
  }
}

/** A browser session as it is; anything else (a connections record, a tombstone) as none. */
function browserOnly<T extends SessionRecord | null | undefined>(record: T): T | undefined {
  return record?.kind === undefined ? record : undefined;
}
