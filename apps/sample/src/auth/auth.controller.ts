import {
  Controller,
  Get,
  type HttpRedirectResponse,
  Post,
  Redirect,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  AuthCodeLoginGuard,
  AuthRateLimitGuard,
  AuthSessionService,
  BackchannelLogoutHandler,
  Public,
  type AuthCodeRequest,
  type HttpResponseLike,
} from 'nestjs-auth-code';

/**
 * Login, callback and logout routes: open without a session (`@Public()`), rate-limited per
 * client (`AUTH_RATE_LIMIT` per minute, SECURITY row 20). The same code runs on Express and on
 * Fastify: redirects go through Nest's `@Redirect()`, cookies through the library.
 */
@Public()
@UseGuards(AuthRateLimitGuard)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly backchannel: BackchannelLogoutHandler,
  ) {}

  /** `GET /auth/:provider/login?returnTo=/path` → 302 to the provider. */
  @Get(':provider/login')
  @UseGuards(AuthCodeLoginGuard)
  @Redirect()
  login(@Req() req: AuthCodeRequest): HttpRedirectResponse {
    return { url: req.authCodeRedirect!, statusCode: 302 };
  }

  /** `GET /auth/:provider/callback` → exchange (in the guard), new session, 302 to `returnTo`. */
  @Get(':provider/callback')
  @UseGuards(AuthCodeLoginGuard)
  @Redirect()
  async callback(
    @Req() req: AuthCodeRequest,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ): Promise<HttpRedirectResponse> {
    const login = req.user!;
    await this.sessions.establish(req, res, login); // new session id; tokens stay server-side
    return { url: login.returnTo, statusCode: 302 }; // a validated same-origin path
  }

  /**
   * `POST /auth/logout`: revokes where possible, ends the session; 303 to `/` for a form (or to
   * the provider's logout page with `AUTH_PROVIDER_LOGOUT`), else 204.
   */
  @Post('logout')
  async logout(@Req() req: AuthCodeRequest, @Res() res: HttpResponseLike): Promise<void> {
    await this.sessions.logout(req, res, '/');
  }

  /** `GET /auth/logout/return?state=…`: back from the provider's logout page; 303 to `/`. */
  @Get('logout/return')
  logoutReturn(@Req() req: AuthCodeRequest, @Res() res: HttpResponseLike): void {
    this.sessions.completeProviderLogout(req, res, '/');
  }

  /** `POST /auth/:provider/backchannel-logout`: the provider ended a session (OIDC Back-Channel Logout). */
  @Post(':provider/backchannel-logout')
  async backchannelLogout(
    @Req() req: AuthCodeRequest,
    @Res() res: HttpResponseLike,
  ): Promise<void> {
    await this.backchannel.handle(req, res);
  }
}
