import { timingSafeEqual } from 'node:crypto';
import { randomToken } from '../../core/pkce';
import type { ProviderRegistry } from '../../core/provider-registry';
import { buildEndSessionUrl } from '../../engine/end-session-url.builder';
import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { SessionRecord } from '../../stores/token-store.interface';
import type { TokenService } from '../../tokens/token.service';
import type { CookieSigner } from '../http/cookie-signer';
import { readCookie, serializeCookie } from '../http/cookies';
import { cookieHeader, type HttpRequestLike } from '../http/http-request';
import { appendSetCookie, type CookieWritable } from '../http/http-response';

/** Options of {@link ProviderLogout}. */
export interface ProviderLogoutOptions {
  /**
   * Whose sessions end at the provider too: `true` every provider whose definition has a logout
   * page (`endSession`), a list of provider ids only those, `false` none.
   */
  enabled: boolean | readonly string[];
  /** Where the provider sends the browser back; the route that calls {@link ProviderLogout.verifyReturn}. */
  postLogoutRedirectUri: string;
  /** Secure cookies with the `__Host-` prefix (https). */
  secure: boolean;
  /** How long the browser may stay at the provider's logout page, seconds. @default 600 */
  ttlSeconds?: number;
}

/** Where to send the browser to end its provider session, and the cookie that remembers the state. */
export interface ProviderLogoutRedirect {
  /** The provider's logout URL. */
  url: string;
  /** The `Set-Cookie` value binding the logout's `state` to this browser. */
  cookie: string;
}

/**
 * Logout at the provider (OIDC RP-Initiated Logout 1.0, or a provider's own logout page as data
 * in its definition): the URL of the provider's logout page for the session's login provider
 * — the provider that created the session; grants linked to it later end only here — with its
 * id_token as `id_token_hint`, the configured `post_logout_redirect_uri` and a random `state`,
 * which a signed cookie binds to the browser and the return route checks.
 */
export class ProviderLogout {
  /** Name of the state cookie. */
  readonly cookieName: string;

  constructor(
    private readonly registry: Pick<ProviderRegistry, 'has' | 'get'>,
    private readonly tokens: Pick<TokenService, 'getGrant'>,
    private readonly signer: CookieSigner,
    private readonly options: ProviderLogoutOptions,
  ) {
    this.cookieName = options.secure ? '__Host-auth_logout' : 'auth_logout';
  }

  /** Whether `provider`'s sessions end at the provider too. */
  enabledFor(provider: string): boolean {
    const { enabled } = this.options;
    return enabled === true || (Array.isArray(enabled) && enabled.includes(provider));
  }

  /**
   * The redirect that ends the session's provider session, or undefined (logout at the provider
   * off for its login provider, or the provider has no logout page). Read before the session is
   * deleted: the id_token goes with it.
   */
  async redirectFor(session: SessionRecord): Promise<ProviderLogoutRedirect | undefined> {
    const provider = session.user.provider;
    if (!this.enabledFor(provider) || !this.registry.has(provider)) return undefined;
    const def = await this.registry.get(provider);
    if (!def.endSession) return undefined;
    const grant = await this.tokens.getGrant(session.id, provider);
    const state = randomToken(32);
    const url = buildEndSessionUrl(def, {
      idTokenHint: grant?.tokenSet.idToken,
      postLogoutRedirectUri: this.options.postLogoutRedirectUri,
      state,
    });
    if (!url) return undefined;
    const cookie = serializeCookie(this.cookieName, this.signer.sign(state), {
      maxAge: this.options.ttlSeconds ?? 600,
      secure: this.options.secure,
    });
    return { url, cookie };
  }

  /**
   * Checks the return from the provider's logout page: its `state` must be the one this browser's
   * cookie carries. The cookie is cleared in any case; a state that does not match throws
   * `StateError` `invalid_state` (400).
   */
  verifyReturn(req: HttpRequestLike, res: CookieWritable): void {
    const expected = this.signer.unsign(readCookie(cookieHeader(req), this.cookieName));
    appendSetCookie(
      res,
      serializeCookie(this.cookieName, '', { maxAge: 0, secure: this.options.secure }),
    );
    const query = (req.query ?? {}) as Record<string, unknown>;
    const given = typeof query.state === 'string' ? query.state : '';
    if (!expected || !sameText(expected, given)) {
      throw new StateError({
        code: 'invalid_state',
        operation: 'logout',
        message: Messages.logoutReturnState(),
      });
    }
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
