import { Controller, Get, Param } from '@nestjs/common';
import { CurrentSession, TokenService, type SessionRecord } from 'nestjs-auth-code';

/** The observable contract of refresh: `{ provider, expiresAt, refreshed }` — never the token. */
export interface TokenStatusBody {
  provider: string;
  expiresAt: number;
  refreshed: boolean;
}

/** `GET /api/:provider/token`: asks the TokenService for a valid token (refreshing when due). */
@Controller('api')
export class TokenApiController {
  constructor(private readonly tokens: TokenService) {}

  @Get(':provider/token')
  async token(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<TokenStatusBody> {
    const { tokenSet, refreshed } = await this.tokens.getValidToken(session.id, provider, session);
    return { provider, expiresAt: tokenSet.expiresAt, refreshed };
  }
}
