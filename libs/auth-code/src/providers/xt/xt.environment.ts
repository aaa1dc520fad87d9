import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl } from 'class-validator';
import { emptyToUndefined, URL_OPTIONS } from '../descriptor/environment-transforms';

/** The environment variables of XT.COM (`XT_*`). */
export class XtEnvironment {
  /** The institution's client id; enables the provider. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() XT_CLIENT_ID?: string;
  /** The institution's secret key. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() XT_CLIENT_SECRET?: string;
  /** The authorize page (not published by XT.COM). */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) XT_AUTHORIZE_URL?: string;
  /** Host of the token endpoint. @default 'https://sapi.xt.com' */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) XT_API_URL?: string;
  /** A userinfo endpoint, when XT.COM gave you one. */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) XT_USERINFO_URL?: string;
  /** The registered redirect URI. @default base URL + /auth/xt/callback */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) XT_REDIRECT_URI?: string;
}
