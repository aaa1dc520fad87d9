import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl } from 'class-validator';
import { DPOP_ALGORITHMS } from '../../core/dpop-key';
import { emptyToUndefined, toBool, URL_OPTIONS } from '../descriptor/environment-transforms';

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
  /** RFC 9126: `auto` pushes when the provider requires it, `on` whenever it can, `off` never. @default 'auto' */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(['auto', 'on', 'off'], { message: 'OIDC_PAR must be auto, on or off' })
  OIDC_PAR?: 'auto' | 'on' | 'off';
  /** RFC 9449: DPoP-bound tokens, a key pair per grant. @default false */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'OIDC_DPOP must be true or false' })
  OIDC_DPOP?: boolean;
  /** The DPoP proofs' algorithm. @default 'ES256' */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(DPOP_ALGORITHMS, { message: `OIDC_DPOP_ALG must be one of ${DPOP_ALGORITHMS.join(', ')}` })
  OIDC_DPOP_ALG?: (typeof DPOP_ALGORITHMS)[number];
}
