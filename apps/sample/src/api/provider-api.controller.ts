import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import {
  CurrentSession,
  ProviderApiClient,
  TokenRefreshInterceptor,
  type SessionRecord,
} from 'nestjs-auth-code';

/** The body of `GET /api/:provider/profile`: what the provider's API answered (never a token). */
export interface ProviderProfileBody {
  /** Provider id. */
  provider: string;
  /** The API payload (inside the provider's envelope). */
  data: unknown;
}

/**
 * `GET /api/:provider/profile`: calls the provider's API with the session's token. The
 * interceptor refreshes the token first when due, and once more (then re-runs) when the provider
 * says it is dead; a second refusal answers 401 `login_required`.
 */
@Controller('api')
export class ProviderApiController {
  constructor(private readonly api: ProviderApiClient) {}

  /** `{ provider, data }`: the provider API's answer for the session. */
  @Get(':provider/profile')
  @UseInterceptors(TokenRefreshInterceptor)
  async profile(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<ProviderProfileBody> {
    return { provider, data: await this.api.call(session.id, provider, 'profile', session) };
  }
}
