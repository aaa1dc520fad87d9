import {
  Controller,
  type HttpRedirectResponse,
  Param,
  Post,
  Redirect,
  UseGuards,
} from '@nestjs/common';
import {
  CurrentSession,
  ProviderRegistry,
  requireEnabledProvider,
  TokenService,
  type SessionRecord,
} from 'nestjs-auth-code';
import { SameOriginGuard } from './same-origin.guard';

/**
 * The Connected-accounts panel's buttons without JavaScript: plain HTML form posts that do what
 * the JSON routes do, then 303 back to `/`. Same session, same-origin and provider checks.
 */
@Controller('connections')
export class ConnectionFormsController {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: ProviderRegistry,
  ) {}

  /** `POST /connections/:provider/refresh` ("Refresh now") → 303 `/`. */
  @Post(':provider/refresh')
  @UseGuards(SameOriginGuard)
  @Redirect()
  async refresh(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<HttpRedirectResponse> {
    await this.tokens.refresh(session.id, provider, { force: true, session });
    return { url: '/', statusCode: 303 };
  }

  /** `POST /connections/:provider/disconnect` ("Disconnect") → 303 `/`. */
  @Post(':provider/disconnect')
  @UseGuards(SameOriginGuard)
  @Redirect()
  async disconnect(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<HttpRedirectResponse> {
    await this.tokens.revoke(session.id, requireEnabledProvider(this.registry, provider));
    return { url: '/', statusCode: 303 };
  }
}
