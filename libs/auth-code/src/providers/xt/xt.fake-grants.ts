import { randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';

/** What one login granted: who, to which client, and the family its tokens belong to. */
export interface FakeXtGrant {
  /** XT `user_id` of the user who approved. */
  userId: string;
  /** The client the grant was issued to. */
  clientId: string;
  /** Token family: every token descending from one code; revoked as a whole on reuse. */
  family: string;
}

/** Lifetimes of what {@link FakeXtGrants} issues, in seconds. */
export interface FakeXtLifetimes {
  /** Access token: JWT `exp` and `expires_in`. */
  accessToken: number;
  /** Refresh token: JWT `exp` and `refresh_expires_in`. */
  refreshToken: number;
}

interface Issued extends FakeXtGrant {
  expiresAt: number;
  used: boolean;
}

/**
 * The state of {@link FakeXt}: single-use codes, RS256 JWT access and refresh tokens shaped like
 * XT's (`sub` "1", `user-id`, `scope`, `iss` "xt.com", `exp`, `client_id`), token families with
 * reuse detection. A `jti` is added so that two tokens issued in the same second differ.
 */
export class FakeXtGrants {
  private key?: CryptoKey;
  /** The public half of the signing key, to verify issued tokens. */
  publicKey?: CryptoKey;
  private readonly codes = new Map<string, Issued & { redirectUri: string }>();
  private readonly accessTokens = new Map<string, Issued>();
  private readonly refreshTokens = new Map<string, Issued>();
  private readonly revoked = new Set<string>();

  /** Creates the RS256 key pair once. */
  async init(): Promise<void> {
    if (this.key) return;
    const pair = await generateKeyPair('RS256');
    this.key = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** Issues a single-use code bound to the client and redirect URI, starting a token family. */
  issueCode(
    grant: Omit<FakeXtGrant, 'family'>,
    redirectUri: string,
    lifetimeSeconds: number,
  ): string {
    const code = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + lifetimeSeconds * 1000;
    this.codes.set(code, { ...grant, family: randomUUID(), redirectUri, expiresAt, used: false });
    return code;
  }

  /**
   * Redeems a code for a client. A second use fails and revokes every token issued from the code
   * (RFC 6749 4.1.2), like an expired or unknown code.
   */
  redeemCode(code: string | undefined, clientId: string): FakeXtGrant | undefined {
    const entry = code ? this.codes.get(code) : undefined;
    if (!entry || entry.clientId !== clientId) return undefined;
    if (entry.used) {
      this.revoked.add(entry.family);
      return undefined;
    }
    entry.used = true;
    return entry.expiresAt > Date.now() ? entry : undefined;
  }

  /**
   * Redeems a refresh token. With rotation, the token is spent: presenting it again revokes its
   * whole family (reuse detection). Without rotation it stays valid until it expires.
   */
  redeemRefreshToken(
    token: string | undefined,
    clientId: string,
    rotate: boolean,
  ): FakeXtGrant | undefined {
    const entry = token ? this.refreshTokens.get(token) : undefined;
    if (!entry || entry.clientId !== clientId || this.revoked.has(entry.family)) return undefined;
    if (entry.used) {
      this.revoked.add(entry.family);
      return undefined;
    }
    if (entry.expiresAt <= Date.now()) return undefined;
    if (rotate) entry.used = true;
    return entry;
  }

  /** The grant behind a live access token, or undefined (unknown, expired, revoked). */
  accessGrant(token: string): FakeXtGrant | undefined {
    const entry = this.accessTokens.get(token);
    if (!entry || this.revoked.has(entry.family) || entry.expiresAt <= Date.now()) return undefined;
    return entry;
  }

  /** Signs and records an access token (and a refresh token when asked). */
  async issueTokens(
    grant: FakeXtGrant,
    lifetimes: FakeXtLifetimes,
    withRefreshToken: boolean,
  ): Promise<{ accessToken: string; refreshToken?: string }> {
    const accessToken = await this.sign(grant, lifetimes.accessToken);
    this.accessTokens.set(accessToken, this.entry(grant, lifetimes.accessToken));
    if (!withRefreshToken) return { accessToken };
    const refreshToken = await this.sign(grant, lifetimes.refreshToken);
    this.refreshTokens.set(refreshToken, this.entry(grant, lifetimes.refreshToken));
    return { accessToken, refreshToken };
  }

  /** Forgets every code and token. */
  clear(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.revoked.clear();
  }

  private entry(grant: FakeXtGrant, lifetimeSeconds: number): Issued {
    const { userId, clientId, family } = grant;
    return {
      userId,
      clientId,
      family,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
      used: false,
    };
  }

  private async sign(grant: FakeXtGrant, lifetimeSeconds: number): Promise<string> {
    if (!this.key) throw new Error('FakeXt is not started');
    // XT's JWTs carry an internal account number as sub / user-id, not the OAuth user_id
    return new SignJWT({ 'user-id': 1, scope: 'userinfo', client_id: grant.clientId })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('1')
      .setIssuer('xt.com')
      .setJti(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(this.key);
  }
}
