import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl } from 'class-validator';
import { emptyToUndefined, URL_OPTIONS } from '../descriptor/environment-transforms';

/** The environment variables of Acme Grid (`ACME_*`). */
export class AcmeEnvironment {
  /** Enables Acme Grid. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() ACME_CLIENT_ID?: string;
  /** The application's secret. */
  @IsOptional() @Transform(emptyToUndefined) @IsString() ACME_CLIENT_SECRET?: string;
  /** Acme Grid's base URL. */
  @IsOptional() @Transform(emptyToUndefined) @IsUrl(URL_OPTIONS) ACME_URL?: string;
}
