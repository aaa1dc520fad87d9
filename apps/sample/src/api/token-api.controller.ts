import { Controller, Get, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthSessionService, LoginRequiredError, TokenService } from '@app/auth-code';

/** The observable contract of refresh: `{ provider, expiresAt, refreshed }` — never the token. */
export interface TokenStatusBody {
  provider: string;
  expiresAt: number;
  refreshed: boolean;
}

/** `GET /api/:provider/token`: asks the TokenService for a valid token (refreshing when due). */
@Controller('api')
export class TokenApiController {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly tokens: TokenService,
  ) {}

  @Get(':provider/token')
  async token(@Param('provider') provider: string, @Req() req: Request): Promise<TokenStatusBody> {
    const sessionId = this.sessions.sessionId(req);
    if (!sessionId) throw LoginRequiredError.noSession();
    const { tokenSet, refreshed } = await this.tokens.getValidToken(sessionId, provider);
    return { provider, expiresAt: tokenSet.expiresAt, refreshed };
  }
}
