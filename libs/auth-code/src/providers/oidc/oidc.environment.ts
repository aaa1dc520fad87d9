import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl } from 'class-validator';
import { emptyToUndefined, URL_OPTIONS } from '../descriptor/environment-transforms';

/** The environment variables of the generic OpenID Connect provider (`OIDC_*`, id `oidc`). */
export class OidcEnvironment {
  /** The issuer; with the client id, enables the provider. */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) OIDC_ISSUER?: string;
  /** The client id; with the issuer, enables the provider. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_CLIENT_ID?: string;
  /** A confidential client's secret; unset = public client with PKCE. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_CLIENT_SECRET?: string;
  /** Scopes, space or comma separated. @default 'openid profile email' */
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_SCOPE?: string;
  /** The registered redirect URI. @default base URL + /auth/oidc/callback */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) OIDC_REDIRECT_URI?: string;
  /** Extra authorize parameters as a query string; the ones the library sets are refused. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_AUTHORIZE_PARAMS?: string;
  /** Accepted id_token algorithms, comma separated. @default 'RS256' */
  @IsOptional() @Transform(emptyToUndefined) @IsString() OIDC_ID_TOKEN_ALGS?: string;
}
