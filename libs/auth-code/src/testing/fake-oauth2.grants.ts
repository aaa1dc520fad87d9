import { randomBytes } from 'node:crypto';

/** One authorization (a login): every token issued from it belongs to this family. */
interface Family {
  sub: string;
  /** Scope granted at the authorization, space separated. */
  scope: string;
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
  /** Scope of the authorize request, space separated. @default '' */
  scope?: string;
  /** OIDC `nonce` of the authorize request. */
  nonce?: string;
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
  { issued: FakeIssued; sub: string; scope: string } | { error: 'unknown' | 'revoked' | 'reused' };

/** Who a live access token was issued to, and for which scope. */
export interface FakeTokenGrant {
  /** The user. */
  sub: string;
  /** Granted scope, space separated. */
  scope: string;
}

const token = (kind: string) => `${kind}-${randomBytes(18).toString('base64url')}`;
/** RFC 6749 4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED". */
const CODE_TTL_MS = 10 * 60_000;

/**
 * Grant bookkeeping of a fake authorization server (RFC 6749 + RFC 9700 4.14): single-use codes
 * that live 10 minutes (a replayed code revokes the tokens issued from it, RFC 6749 4.1.2), token
 * families, rotating refresh tokens with reuse detection — presenting a refresh token that was
 * already rotated away revokes the whole family.
 */
export class FakeGrantBook {
  private readonly codes = new Map<string, FakeCode & { expiresAt: number }>();
  /** Redeemed codes → the family they started (undefined while none was started). */
  private readonly usedCodes = new Map<string, string | undefined>();
  private readonly families = new Map<string, Family>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, { family: string; expiresAt: number }>();

  /** Creates a single-use code. */
  issueCode(code: FakeCode): string {
    const value = token('code');
    this.codes.set(value, { ...code, expiresAt: Date.now() + CODE_TTL_MS });
    return value;
  }

  /**
   * Redeems a code once: a second use finds nothing and revokes the family the first use started
   * (pass the code to {@link startFamily}); an expired code finds nothing.
   */
  takeCode(value: string): FakeCode | undefined {
    const code = this.codes.get(value);
    this.codes.delete(value);
    if (this.usedCodes.has(value)) {
      const family = this.families.get(this.usedCodes.get(value) ?? '');
      if (family) family.revoked = true;
      return undefined;
    }
    if (!code) return undefined;
    this.usedCodes.set(value, undefined);
    if (code.expiresAt <= Date.now()) return undefined;
    const { expiresAt: _expiresAt, ...issued } = code;
    return issued;
  }

  /**
   * Starts a family for `sub` (granted `scope`) and issues its first tokens; `fromCode` names the
   * code it was redeemed from, so that a replay of the code revokes it.
   */
  startFamily(sub: string, lifetimeSeconds: number, scope = '', fromCode?: string): FakeIssued {
    const id = token('family');
    const refreshToken = token('rt');
    if (fromCode !== undefined) this.usedCodes.set(fromCode, id);
    this.families.set(id, { sub, scope, revoked: false, refreshToken });
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
    const { sub, scope } = family;
    if (!rotate) return { issued: { accessToken, expiresIn: lifetimeSeconds }, sub, scope };
    family.refreshToken = token('rt');
    this.refreshTokens.set(family.refreshToken, id);
    return {
      issued: { accessToken, refreshToken: family.refreshToken, expiresIn: lifetimeSeconds },
      sub,
      scope,
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
    return this.grantOf(accessToken)?.sub;
  }

  /** The user and scope of a live, unexpired access token. */
  grantOf(accessToken: string): FakeTokenGrant | undefined {
    const at = this.accessTokens.get(accessToken);
    const family = at && this.families.get(at.family);
    if (!at || !family || family.revoked || at.expiresAt <= Date.now()) return undefined;
    return { sub: family.sub, scope: family.scope };
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
