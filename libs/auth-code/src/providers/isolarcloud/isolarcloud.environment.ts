import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, Matches } from 'class-validator';
import { emptyToUndefined, URL_OPTIONS } from '../descriptor/environment-transforms';
import { ISOLARCLOUD_REGIONS, type IsolarcloudRegion } from './isolarcloud.constants';

/** The environment variables of Sungrow iSolarCloud (`ISOLARCLOUD_*`). */
export class IsolarcloudEnvironment {
  /** The AppKey; enables the provider. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() ISOLARCLOUD_APP_KEY?: string;
  /** The secret key (`x-access-key`). */
  @IsOptional() @Transform(emptyToUndefined) @IsString() ISOLARCLOUD_SECRET_KEY?: string;
  /** The numeric App ID of the developer portal. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d{1,20}$/, { message: 'ISOLARCLOUD_APPLICATION_ID must be the numeric App ID' })
  ISOLARCLOUD_APPLICATION_ID?: string;
  /** The cloud the accounts live in. @default 'intl' */
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(Object.keys(ISOLARCLOUD_REGIONS))
  ISOLARCLOUD_REGION?: IsolarcloudRegion;
  /** OpenAPI gateway. @default by region */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) ISOLARCLOUD_GATEWAY_URL?: string;
  /** Login app. @default by region */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) ISOLARCLOUD_LOGIN_URL?: string;
  /** `cloudId` of the login URL. @default by region */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\d{1,9}$/, { message: 'ISOLARCLOUD_CLOUD_ID must be a number' })
  ISOLARCLOUD_CLOUD_ID?: string;
  /** The registered redirect URL. @default base URL + /auth/isolarcloud/callback */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) ISOLARCLOUD_REDIRECT_URI?: string;
}
