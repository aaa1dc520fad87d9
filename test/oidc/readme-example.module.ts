import type { DynamicModule } from '@nestjs/common';
import { AuthCodeModule, oauth2, oidc } from 'nestjs-auth-code';

/** The settings the example takes from your own configuration (ConfigService, a vault...). */
export interface AuthSettings {
  /** Public base URL of the app, e.g. `https://app.example.com`. */
  baseUrl: string;
  /** Cookie signing secret, at least 32 characters. */
  sessionSecret: string;
  /** 32-byte encryption key(s) for tokens at rest, comma separated. */
  encryptionKeys: string;
  /** An OpenID Provider. */
  oidc: { issuer: string; clientId: string; clientSecret?: string };
  /** A plain OAuth 2.0 provider without discovery, here called Acme. */
  acme: { url: string; clientId: string; clientSecret: string };
}

/** The library with one OpenID Provider and one plain OAuth 2.0 provider. */
export function authCodeModule(s: AuthSettings): DynamicModule {
  return AuthCodeModule.forRoot({
    baseUrl: s.baseUrl,
    sessionSecret: s.sessionSecret,
    encryptionKeys: s.encryptionKeys,
    providers: [
      // Endpoints, keys, PKCE support and RFC 9207 `iss` come from the issuer's discovery.
      oidc({
        issuer: s.oidc.issuer,
        clientId: s.oidc.clientId,
        clientSecret: s.oidc.clientSecret, // leave it out for a public client (PKCE only)
        redirectUri: `${s.baseUrl}/auth/oidc/callback`,
        scope: ['openid', 'profile', 'email'],
      }),
      // No discovery: name the endpoints; everything else follows RFC 6749 unless overridden.
      oauth2({
        id: 'acme',
        displayName: 'Acme',
        clientId: s.acme.clientId,
        clientSecret: s.acme.clientSecret,
        redirectUri: `${s.baseUrl}/auth/acme/callback`,
        authorizeUrl: `${s.acme.url}/auth`,
        tokenUrl: `${s.acme.url}/token`,
        userinfo: `${s.acme.url}/me`,
        revoke: `${s.acme.url}/token/revocation`,
        scope: ['openid', 'profile', 'email'],
        profile: { id: 'sub', displayName: 'name', email: 'email' },
      }),
    ],
  });
}
