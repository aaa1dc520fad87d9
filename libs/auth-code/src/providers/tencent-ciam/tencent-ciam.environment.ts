import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl } from 'class-validator';
import { emptyToUndefined, toBool, URL_OPTIONS } from '../descriptor/environment-transforms';

/** The environment variables of Tencent Cloud CIAM (`TENCENT_CIAM_*`). */
export class TencentCiamEnvironment {
  /** The application's client_id; enables the provider. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() TENCENT_CIAM_CLIENT_ID?: string;
  /** The tenant portal URL. */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) TENCENT_CIAM_ISSUER?: string;
  /** The client_secret; required unless PKCE mode. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() TENCENT_CIAM_CLIENT_SECRET?: string;
  /** Client authentication. @default 'client_secret_post' */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(['client_secret_post', 'client_secret_basic'])
  TENCENT_CIAM_AUTH_METHOD?: 'client_secret_post' | 'client_secret_basic';
  /** Public client with PKCE. @default false */
  @IsOptional() @Transform(toBool) @IsBoolean() TENCENT_CIAM_PKCE?: boolean;
  /** The registered redirect URI. @default base URL + /auth/tencent-ciam/callback */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) TENCENT_CIAM_REDIRECT_URI?: string;
}
