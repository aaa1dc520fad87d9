import type { FakeTencentCiamUser } from './tencent-ciam.fake-grants';

/** Routes whose next answer {@link FakeTencentCiam.forceError} can replace. */
export type FakeTencentCiamErrorRoute = 'token' | 'refresh' | 'userinfo' | 'revoke';

/** Options of {@link FakeTencentCiam}; each is also a public, mutable field of the fake. */
export interface FakeTencentCiamOptions {
  /** The application's client_id. @default 'TENANT_CLIENT_ID' */
  clientId?: string;
  /** The application's client_secret. @default 'TENANT_CLIENT_SECRET' */
  clientSecret?: string;
  /** Registered redirect URIs (exact match). @default ['http://localhost:3000/auth/tencent-ciam/callback'] */
  redirectUris?: string[];
  /** The `iss` of every token and of discovery. @default the fake's own URL */
  issuer?: string;
  /** The tenant's users; the first one approves unless {@link FakeTencentCiam.loginAs} says otherwise. @default one `MOCK_USERNAME` user */
  users?: FakeTencentCiamUser[];
  /** Accept PKCE token requests without a secret (public client mode). @default true */
  publicClients?: boolean;
  /** Refuse authorize requests without an S256 `code_challenge`. @default false */
  requirePkce?: boolean;
  /** Issue a new refresh token on every refresh; reusing an old one revokes the grant. @default false */
  rotateRefreshTokens?: boolean;
  /** `expires_in` of access tokens, in seconds; 0 or less issues already expired tokens. @default 299 */
  accessTokenTtlSeconds?: number;
  /** Lifetime of id_tokens, in seconds. @default 1800 */
  idTokenTtlSeconds?: number;
  /** Name of the key list in the JWKS: the English docs say `Keys`, the Chinese `keys`. @default 'Keys' */
  jwksKeyName?: 'keys' | 'Keys';
  /** Rewrites id_token claims before signing (OIDC negative tests). @default identity */
  idTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
}
