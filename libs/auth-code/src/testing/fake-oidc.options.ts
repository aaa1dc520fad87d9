import type { FakeOidcSigning } from './fake-oidc.signing';

/** Knobs that make {@link FakeOidc} misbehave; {@link FakeOidc.reset} clears them. */
export interface FakeOidcKnobs {
  /** Rewrites the id_token claims before signing. */
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** @default 'rs256' */
  signing?: FakeOidcSigning;
  /** Leave `kid` out of the id_token header. */
  omitKid?: boolean;
  /** Put this `kid` in the id_token header instead of the signing key's. */
  kid?: string;
  /** Answer refreshes without an id_token. */
  noIdTokenOnRefresh?: boolean;
  /** The `sub` userinfo answers with. @default the user's sub */
  userinfoSub?: string;
  /** The `issuer` discovery announces. @default the fake's URL */
  discoveryIssuer?: string;
  /** Rewrites the discovery document (drop capabilities, change endpoints). */
  discovery?: (doc: Record<string, unknown>) => Record<string, unknown>;
  /** Name of the JWKS key list (Tencent CIAM's docs say `Keys`). @default 'keys' */
  jwksKeyName?: 'keys' | 'Keys';
}

/** Options of {@link FakeOidc}. */
export interface FakeOidcOptions {
  /** @default 'rp-client' */
  clientId?: string;
  /** The client secret; `null` registers a public client (no secret, PKCE required). @default 'rp-secret' */
  clientSecret?: string | null;
  /** Registered redirect URIs, compared byte for byte. @default ['http://localhost:3000/auth/oidc/callback'] */
  redirectUris?: string[];
  /** Refuse authorize requests without an S256 `code_challenge`. @default false */
  requirePkce?: boolean;
  /** Issue a new refresh token on every refresh; reusing an old one revokes the grant. @default true */
  rotateRefreshTokens?: boolean;
}
