import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FakeResponse } from '../../testing/server/fake-server';
import type { FakeTencentCiamSigner } from './tencent-ciam.fake-signer';

/** A user of the fake tenant: `sub` plus the claims userinfo returns. */
export interface FakeTencentCiamUser {
  /** The user's id. */
  sub: string;
  /** Full name. */
  name?: string;
  /** Nickname. */
  nickname?: string;
  /** E-mail address. */
  email?: string;
  /** Any other claim userinfo should return. */
  [claim: string]: unknown;
}

/** The knobs token issuing reads at each call (the fake itself implements this). */
export interface FakeTencentCiamTokenSettings {
  /** `iss` of the tokens. */
  readonly issuer: string;
  /** Issue a new refresh token on every refresh and detect reuse of old ones. */
  rotateRefreshTokens: boolean;
  /** `expires_in` of access tokens, in seconds. */
  accessTokenTtlSeconds: number;
  /** Lifetime of id_tokens, in seconds. */
  idTokenTtlSeconds: number;
  /** Rewrites id_token claims before signing. */
  idTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
}

/** What an authorization code is bound to. */
export interface FakeTencentCiamCode {
  /** The client the code was issued to. */
  clientId: string;
  /** The redirect URI of the authorize request. */
  redirectUri: string;
  /** The OIDC nonce of the authorize request. */
  nonce?: string;
  /** The S256 challenge of the authorize request. */
  codeChallenge?: string;
  /** Granted scope, space separated. */
  scope: string;
  /** The user who approved. */
  sub: string;
}

interface Grant {
  clientId: string;
  sub: string;
  scope: string;
  revoked: boolean;
}
type StoredCode = FakeTencentCiamCode & { expiresAt: number; grantId?: string };

const CODE_TTL_MS = 5 * 60_000;
const DEFAULT_USER: FakeTencentCiamUser = {
  sub: 'MOCK_USERNAME',
  name: 'Mock User',
  email: 'mock.user@example.com',
};

/**
 * Codes, grants and tokens of {@link FakeTencentCiam}. A grant is one approved login; its access
 * tokens and refresh tokens die with it (refresh-token revocation, code replay, refresh-token reuse).
 */
export class FakeTencentCiamGrants {
  /** The tenant's users by `sub`. */
  readonly users = new Map<string, FakeTencentCiamUser>();
  private readonly codes = new Map<string, StoredCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly access = new Map<
    string,
    { grantId?: string; sub: string; expiresAt: number; revoked: boolean }
  >();
  private readonly refreshTokens = new Map<string, { grantId: string; current: boolean }>();

  constructor(
    private readonly signer: FakeTencentCiamSigner,
    private readonly settings: FakeTencentCiamTokenSettings,
    users: FakeTencentCiamUser[] = [DEFAULT_USER],
  ) {
    for (const u of users) this.users.set(u.sub, { ...u });
  }

  /** Issues a single-use authorization code. */
  issueCode(code: FakeTencentCiamCode): string {
    const value = randomBytes(24).toString('base64url');
    this.codes.set(value, { ...code, expiresAt: Date.now() + CODE_TTL_MS });
    return value;
  }

  /**
   * Redeems a code against the token request's form. A replayed code revokes what it issued
   * (RFC 6749 4.1.2). Public clients must prove the PKCE verifier.
   */
  redeemCode(
    form: Record<string, string>,
    clientId: string,
    isPublic: boolean,
  ): 'invalid' | 'wrong_client' | { grantId: string; nonce?: string } {
    const code = this.codes.get(form.code ?? '');
    if (!code || code.expiresAt <= Date.now()) return 'invalid';
    if (code.grantId) {
      this.grants.get(code.grantId)!.revoked = true;
      return 'invalid';
    }
    if (code.clientId !== clientId) return 'wrong_client';
    if (code.redirectUri !== form.redirect_uri) return 'invalid';
    if (isPublic && !code.codeChallenge) return 'invalid';
    if (
      code.codeChallenge &&
      (!form.code_verifier || s256(form.code_verifier) !== code.codeChallenge)
    ) {
      return 'invalid';
    }
    const grantId = randomUUID();
    this.grants.set(grantId, { clientId, sub: code.sub, scope: code.scope, revoked: false });
    code.grantId = grantId;
    return { grantId, nonce: code.nonce };
  }

  /** The token response of a grant, shaped exactly like the seed document's example. */
  async issueTokens(grantId: string, nonce?: string, refreshToken?: string): Promise<FakeResponse> {
    const grant = this.grants.get(grantId)!;
    const { issuer, accessTokenTtlSeconds: ttl, idTokenTtlSeconds } = this.settings;
    const now = Date.now();
    const iat = Math.floor(now / 1000);
    const accessToken = await this.signer.sign({
      sub: grant.sub,
      aud: grant.clientId,
      nbf: iat,
      scope: grant.scope.split(' '),
      iss: issuer,
      // The seed's access token says exp - iat = 300 while expires_in is 299.
      exp: iat + ttl + 1,
      iat,
      jti: randomUUID(),
    });
    this.access.set(accessToken, {
      grantId,
      sub: grant.sub,
      expiresAt: now + ttl * 1000,
      revoked: false,
    });
    const refresh = refreshToken ?? randomBytes(96).toString('base64url');
    this.refreshTokens.set(refresh, { grantId, current: true });
    const claims: Record<string, unknown> = {
      sub: grant.sub,
      aud: grant.clientId,
      azp: grant.clientId,
      iss: issuer,
      exp: iat + idTokenTtlSeconds,
      iat,
      jti: randomUUID(),
      ...(nonce !== undefined ? { nonce } : {}),
    };
    // an id_token only for an OpenID Connect request (scope openid, OIDC Core 3.1.2.1)
    const idToken = grant.scope.split(' ').includes('openid')
      ? await this.signer.sign(this.settings.idTokenClaims?.(claims) ?? claims)
      : undefined;
    return {
      body: {
        access_token: accessToken,
        refresh_token: refresh,
        scope: grant.scope,
        ...(idToken === undefined ? {} : { id_token: idToken }),
        token_type: 'Bearer',
        expires_in: ttl,
      },
    };
  }

  /**
   * A refresh: the same refresh token comes back unless rotation is on; with rotation a reused
   * old refresh token revokes the whole grant. `undefined` means invalid_grant.
   */
  async refresh(token: string | undefined, clientId: string): Promise<FakeResponse | undefined> {
    const record = this.refreshTokens.get(token ?? '');
    const grant = record && this.grants.get(record.grantId);
    if (!record || !grant || grant.revoked || grant.clientId !== clientId) return undefined;
    if (!record.current) {
      grant.revoked = true;
      return undefined;
    }
    if (!this.users.has(grant.sub)) return undefined;
    if (!this.settings.rotateRefreshTokens)
      return this.issueTokens(record.grantId, undefined, token);
    record.current = false;
    return this.issueTokens(record.grantId);
  }

  /** A client_credentials grant: an access token only, with the client as subject. */
  async clientCredentials(clientId: string): Promise<FakeResponse> {
    const grantId = randomUUID();
    this.grants.set(grantId, { clientId, sub: clientId, scope: 'openid', revoked: false });
    const { body } = await this.issueTokens(grantId);
    const { access_token, scope, token_type, expires_in } = body as Record<string, unknown>;
    return { body: { access_token, scope, token_type, expires_in } };
  }

  /** The `sub` of a live access token (known, unexpired, not revoked), else undefined. */
  liveAccessTokenSub(token: string): string | undefined {
    return this.liveAccessToken(token)?.sub;
  }

  /** The `sub` and granted scope of a live access token, else undefined. */
  liveAccessToken(token: string): { sub: string; scope: string } | undefined {
    const record = this.access.get(token);
    if (!record || record.revoked || record.expiresAt <= Date.now()) return undefined;
    const grant = record.grantId ? this.grants.get(record.grantId) : undefined;
    if (grant?.revoked) return undefined;
    return { sub: record.sub, scope: grant?.scope ?? '' };
  }

  /** RFC 7009: revoking a refresh token revokes its grant, hence its access tokens; unknown tokens are ignored. */
  revoke(token: string, clientId: string): void {
    const refresh = this.refreshTokens.get(token);
    const grant = refresh && this.grants.get(refresh.grantId);
    if (grant && grant.clientId === clientId) grant.revoked = true;
    const access = this.access.get(token);
    const owner = access?.grantId ? this.grants.get(access.grantId) : undefined;
    if (access && owner?.clientId === clientId) access.revoked = true;
  }
}

/** The S256 PKCE challenge of a verifier. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
