import { Controller, Get } from '@nestjs/common';
import { CurrentSession, TokenService, type Profile, type SessionRecord } from 'nestjs-auth-code';

/** The body of `GET /me`: the user and, per provider, when its access token expires. Never a token. */
export interface MeBody {
  user: Profile;
  providers: Record<string, { expiresAt: number }>;
}

/** `GET /me` (behind the global `SessionGuard`). */
@Controller()
export class MeController {
  constructor(private readonly tokens: TokenService) {}

  @Get('me')
  async me(@CurrentSession() session: SessionRecord): Promise<MeBody> {
    const providers: MeBody['providers'] = {};
    for (const id of session.providers) {
      const grant = await this.tokens.getGrant(session.id, id, session);
      if (grant) providers[id] = { expiresAt: grant.tokenSet.expiresAt };
    }
    return { user: session.user, providers };
  }
}
