import { randomBytes } from 'node:crypto';

/** One authorization (a login): every token issued from it belongs to this family. */
interface Family {
  sub: string;
  revoked: boolean;
  /** The refresh token currently valid for the family (rotation keeps exactly one). */
  refreshToken: string;
}

/** A pending authorization code. */
export interface FakeCode {
  /** Client it was issued to. */
  clientId: string;
  /** Redirect URI of the authorize request. */
  redirectUri: string;
  /** PKCE challenge (S256), when sent. */
  codeChallenge?: string;
  /** The user who approved. */
  sub: string;
}

/** Tokens a fake issues for a grant. */
export interface FakeIssued {
  /** Access token. */
  accessToken: string;
  /** Refresh token, or undefined when the fake does not rotate and keeps the old one. */
  refreshToken?: string;
  /** Lifetime, seconds. */
  expiresIn: number;
}

/** What a refresh attempt yields: tokens, or the reason for `invalid_grant`. */
export type FakeRefreshOutcome =
  { issued: FakeIssued } | { error: 'unknown' | 'revoked' | 'reused' };

const token = (kind: string) => `${kind}-${randomBytes(18).toString('base64url')}`;

/**
 * Grant bookkeeping of a fake authorization server (RFC 6749 + RFC 9700 4.14): single-use codes,
 * token families, rotating refresh tokens with reuse detection — presenting a refresh token that
 * was already rotated away revokes the whole family.
 */
export class FakeGrantBook {
  private readonly codes = new Map<string, FakeCode>();
  private readonly families = new Map<string, Family>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, { family: string; expiresAt: number }>();

  /** Creates a single-use code. */
  issueCode(code: FakeCode): string {
    const value = token('code');
    this.codes.set(value, code);
    return value;
  }

  /** Redeems a code once; a second use finds nothing. */
  takeCode(value: string): FakeCode | undefined {
    const code = this.codes.get(value);
    this.codes.delete(value);
    return code;
  }

  /** Starts a family for `sub` and issues its first tokens. */
  startFamily(sub: string, lifetimeSeconds: number): FakeIssued {
    const id = token('family');
    const refreshToken = token('rt');
    this.families.set(id, { sub, revoked: false, refreshToken });
    this.refreshTokens.set(refreshToken, id);
    return {
      accessToken: this.access(id, lifetimeSeconds),
      refreshToken,
      expiresIn: lifetimeSeconds,
    };
  }

  /** Refreshes with `presented`, rotating the refresh token when `rotate`. */
  refresh(presented: string, lifetimeSeconds: number, rotate: boolean): FakeRefreshOutcome {
    const id = this.refreshTokens.get(presented);
    const family = id === undefined ? undefined : this.families.get(id);
    if (!id || !family) return { error: 'unknown' };
    if (family.revoked) return { error: 'revoked' };
    if (family.refreshToken !== presented) {
      family.revoked = true;
      return { error: 'reused' };
    }
    const accessToken = this.access(id, lifetimeSeconds);
    if (!rotate) return { issued: { accessToken, expiresIn: lifetimeSeconds } };
    family.refreshToken = token('rt');
    this.refreshTokens.set(family.refreshToken, id);
    return {
      issued: { accessToken, refreshToken: family.refreshToken, expiresIn: lifetimeSeconds },
    };
  }

  /** Revokes the family of an access or refresh token; unknown tokens are ignored (RFC 7009). */
  revoke(value: string): void {
    const id = this.refreshTokens.get(value) ?? this.accessTokens.get(value)?.family;
    const family = id === undefined ? undefined : this.families.get(id);
    if (family) family.revoked = true;
  }

  /** The user of a live, unexpired access token. */
  userOf(accessToken: string): string | undefined {
    const at = this.accessTokens.get(accessToken);
    const family = at && this.families.get(at.family);
    if (!at || !family || family.revoked || at.expiresAt <= Date.now()) return undefined;
    return family.sub;
  }

  /** The refresh token currently valid in the family of `anyRefreshToken` (old or current). */
  currentRefreshToken(anyRefreshToken: string): string | undefined {
    const id = this.refreshTokens.get(anyRefreshToken);
    return id === undefined ? undefined : this.families.get(id)?.refreshToken;
  }

  /** Whether the family of a token has been revoked. */
  isRevoked(anyToken: string): boolean {
    const id = this.refreshTokens.get(anyToken) ?? this.accessTokens.get(anyToken)?.family;
    return id !== undefined && this.families.get(id)?.revoked === true;
  }

  private access(family: string, lifetimeSeconds: number): string {
    const value = token('at');
    this.accessTokens.set(value, { family, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return value;
  }
}
