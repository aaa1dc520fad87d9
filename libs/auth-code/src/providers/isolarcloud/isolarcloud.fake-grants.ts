import { randomInt, randomUUID } from 'node:crypto';

/** One user's authorization of the application, shared by all tokens issued from one code. */
export interface FakeIsolarcloudGrant {
  /** The user (`auth_user`). */
  userId: number;
  /** The plants the user authorized (`auth_ps_list`). */
  plantIds: string[];
  /** Set when reuse of a refresh token was detected: every token of the grant is dead. */
  revoked: boolean;
}

/** Tokens issued by one token or refresh call. */
export interface FakeIsolarcloudTokens {
  /** New access token. */
  accessToken: string;
  /** New refresh token; absent on a refresh without rotation (the old one stays valid). */
  refreshToken?: string;
}

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODE_TTL_MS = 10 * 60 * 1000;

/**
 * The fake's bookkeeping of codes and tokens, with the real service's rules: codes are 6
 * characters and single-use; refresh tokens are single-use and rotate, and presenting one that
 * was already used revokes the whole grant (reuse detection).
 */
export class IsolarcloudFakeGrants {
  private readonly codes = new Map<
    string,
    { redirectUri: string; expiresAt: number; grant: FakeIsolarcloudGrant }
  >();
  private readonly accessTokens = new Map<
    string,
    { grant: FakeIsolarcloudGrant; expiresAt: number }
  >();
  private readonly refreshTokens = new Map<
    string,
    { grant: FakeIsolarcloudGrant; used: boolean }
  >();

  /** Issues a code bound to the redirect URL it will be delivered to. */
  issueCode(redirectUri: string, userId: number, plantIds: string[]): string {
    let code: string;
    do {
      code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(
        '',
      );
    } while (this.codes.has(code));
    const grant = { userId, plantIds: [...plantIds], revoked: false };
    this.codes.set(code, { redirectUri, expiresAt: Date.now() + CODE_TTL_MS, grant });
    return code;
  }

  /** Redeems a code: it is gone after its first presentation, whatever the outcome. */
  takeCode(code: string): { redirectUri: string; grant: FakeIsolarcloudGrant } | undefined {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    return issued && issued.expiresAt > Date.now() ? issued : undefined;
  }

  /** Issues an access token and a refresh token for a grant. */
  issueTokens(grant: FakeIsolarcloudGrant, lifetimeSeconds: number): FakeIsolarcloudTokens {
    const refreshToken = randomUUID();
    this.refreshTokens.set(refreshToken, { grant, used: false });
    return { accessToken: this.issueAccessToken(grant, lifetimeSeconds), refreshToken };
  }

  /**
   * Redeems a refresh token. With rotation it is marked used and a new one is issued; presenting
   * a used one revokes the grant. Answers `undefined` for unknown, used or revoked tokens.
   */
  refresh(
    refreshToken: string,
    lifetimeSeconds: number,
    rotate: boolean,
  ): { grant: FakeIsolarcloudGrant; tokens: FakeIsolarcloudTokens } | undefined {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry) return undefined;
    if (entry.used) entry.grant.revoked = true;
    if (entry.grant.revoked) return undefined;
    if (!rotate) {
      return {
        grant: entry.grant,
        tokens: { accessToken: this.issueAccessToken(entry.grant, lifetimeSeconds) },
      };
    }
    entry.used = true;
    return { grant: entry.grant, tokens: this.issueTokens(entry.grant, lifetimeSeconds) };
  }

  /** The grant of a live access token, or `undefined` for an unknown, expired or revoked one. */
  grantOf(accessToken: string): FakeIsolarcloudGrant | undefined {
    const entry = this.accessTokens.get(accessToken);
    if (!entry || entry.grant.revoked || entry.expiresAt <= Date.now()) return undefined;
    return entry.grant;
  }

  /** Makes every access token issued so far expired. */
  expireAccessTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expiresAt = 0;
  }

  private issueAccessToken(grant: FakeIsolarcloudGrant, lifetimeSeconds: number): string {
    const accessToken = randomUUID();
    this.accessTokens.set(accessToken, { grant, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return accessToken;
  }
}
