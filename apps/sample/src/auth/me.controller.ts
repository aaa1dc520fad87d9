import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthSessionService, LoginRequiredError, TokenService, type Profile } from '@app/auth-code';

/** The body of `GET /me`: the user and, per provider, when its access token expires. Never a token. */
export interface MeBody {
  user: Profile;
  providers: Record<string, { expiresAt: number }>;
}

/** `GET /me`. */
@Controller()
export class MeController {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly tokens: TokenService,
  ) {}

  @Get('me')
  async me(@Req() req: Request): Promise<MeBody> {
    const session = await this.sessions.current(req);
    if (!session) throw LoginRequiredError.noSession();
    const providers: MeBody['providers'] = {};
    for (const id of session.providers) {
      const grant = await this.tokens.getGrant(session.id, id);
      if (grant) providers[id] = { expiresAt: grant.tokenSet.expiresAt };
    }
    return { user: session.user, providers };
  }
}
