import type { LogoutTokenClaims, LogoutTokenSpec } from '../../core/provider-logout';
import { LogoutTokenError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import type { JwksCache } from './jwks.cache';
import { checkLogoutTokenClaims } from './logout-token.claims';
import { verifySignedJwt } from './signed-jwt.verify';

/** Longest logout token looked at (an id_token's limit). */
const MAX_TOKEN = 16 * 1024;

/** Options of {@link LogoutTokenValidator}. */
export interface LogoutTokenValidatorOptions {
  /** The provider's signing keys (shared with its id_token validator). */
  jwks: JwksCache;
  /** The exact issuer. */
  issuer: string;
  /** Our client id. */
  clientId: string;
  /** Accepted algorithms (the id_token's). */
  algorithms: readonly string[];
  /** Allowed clock difference, seconds. @default 30 */
  clockToleranceSeconds?: number;
  /** Oldest `iat` accepted, seconds before now. @default 600 */
  maxAgeSeconds?: number;
  /** The provider supports `sid` (`backchannel_logout_session_supported`). @default false */
  sessionSupported?: boolean;
}

/** Default of {@link LogoutTokenValidatorOptions.maxAgeSeconds}: 10 minutes. */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 600;

/**
 * Validates back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0, 2.6) with the
 * provider's JWKS: a {@link LogoutTokenSpec} for a definition. Every refusal is a
 * {@link LogoutTokenError} (400 `invalid_request` on the wire) naming the reason.
 */
export class LogoutTokenValidator implements LogoutTokenSpec {
  /** Whether the provider puts `sid` in its tokens. */
  readonly sessionSupported: boolean;
  /** The maximum age plus the clock tolerance, plus the tolerance again for a fast clock. */
  readonly replayWindowSeconds: number;

  constructor(
    private readonly providerId: string,
    private readonly options: LogoutTokenValidatorOptions,
  ) {
    this.sessionSupported = options.sessionSupported ?? false;
    const tolerance = options.clockToleranceSeconds ?? 30;
    this.replayWindowSeconds =
      (options.maxAgeSeconds ?? LOGOUT_TOKEN_MAX_AGE_SECONDS) + 2 * tolerance;
  }

  async validate(logoutToken: string): Promise<LogoutTokenClaims> {
    if (logoutToken.length > MAX_TOKEN) throw this.refuse(Messages.logoutTokenReason.tooLong());
    const { jwks, algorithms } = this.options;
    const verified = await verifySignedJwt(logoutToken, jwks, algorithms);
    if ('reason' in verified) throw this.refuse(verified.reason, verified.cause);
    const checked = checkLogoutTokenClaims(verified.claims, verified.header, {
      issuer: this.options.issuer,
      clientId: this.options.clientId,
      clockToleranceSeconds: this.options.clockToleranceSeconds ?? 30,
      maxAgeSeconds: this.options.maxAgeSeconds ?? LOGOUT_TOKEN_MAX_AGE_SECONDS,
    });
    if ('reason' in checked) throw this.refuse(checked.reason);
    return checked;
  }

  private refuse(reason: string, cause?: unknown): LogoutTokenError {
    return new LogoutTokenError({
      code: 'invalid_logout_token',
      provider: this.providerId,
      operation: 'logout',
      message: Messages.logoutTokenInvalid(this.providerId, reason),
      cause,
    });
  }
}
