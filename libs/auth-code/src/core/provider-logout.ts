/**
 * How a provider ends its own session (logout at the provider) and how it tells us that it ended
 * one (back-channel logout): data in the {@link ProviderDefinition}, executed by the library.
 */

/** Parameters of a logout redirect, by their role; a definition says how the provider spells them. */
export type EndSessionParam = 'idTokenHint' | 'postLogoutRedirectUri' | 'state' | 'clientId';

/**
 * The provider's logout page, where the browser is sent to end the provider's session: OpenID
 * Connect RP-Initiated Logout 1.0 (`end_session_endpoint`) by default, or a provider's own
 * (Tencent CIAM's `GET /logout?client_id&logout_redirect_uri&state`).
 */
export interface EndSessionSpec {
  /** Absolute URL of the logout page. */
  url: string;
  /**
   * Parameter names as this provider spells them; `null` means "not sent".
   * @default RP-Initiated Logout names (`id_token_hint`, `post_logout_redirect_uri`, `state`, `client_id`)
   */
  paramNames?: Partial<Record<EndSessionParam, string | null>>;
}

/** The claims of a validated back-channel logout token that say which sessions end. */
export interface LogoutTokenClaims {
  /** The token's unique id (replays are refused). */
  jti: string;
  /** The user, when the token names one. */
  sub?: string;
  /** The provider's session, when the token names one. */
  sid?: string;
  /** When the token was issued, epoch seconds. */
  iat: number;
}

/** How a provider's back-channel logout tokens are validated (OpenID Connect Back-Channel Logout 1.0). */
export interface LogoutTokenSpec {
  /**
   * Validates a logout token (signature, `iss`, `aud`, `iat`, `events`, `sid`/`sub`, no `nonce`)
   * and returns its claims; throws `LogoutTokenError` to refuse it. Replays (`jti`) are refused
   * by the library after this check, through the token store.
   */
  validate(logoutToken: string): Promise<LogoutTokenClaims>;
  /**
   * The provider puts `sid` in its id_tokens and logout tokens (`backchannel_logout_session_supported`):
   * a token with a `sid` ends the sessions of that provider session only.
   * @default false
   */
  sessionSupported?: boolean;
  /**
   * How long after its `iat` a token can still pass {@link validate}, in seconds: its `jti` is
   * remembered that long. @default 660
   */
  replayWindowSeconds?: number;
}
