import { Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AuthCodeLoginGuard,
  AuthRateLimitGuard,
  AuthSessionService,
  Public,
  type AuthCodeLogin,
} from 'nestjs-auth-code';

type GuardedRequest = Request & { authCodeRedirect?: string; user?: AuthCodeLogin };

/**
 * Login, callback and logout routes: open without a session (`@Public()`), rate-limited per
 * client (`AUTH_RATE_LIMIT` per minute, SECURITY row 20).
 */
@Public()
@UseGuards(AuthRateLimitGuard)
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: AuthSessionService) {}

  /** `GET /auth/:provider/login?returnTo=/path` → 302 to the provider. */
  @Get(':provider/login')
  @UseGuards(AuthCodeLoginGuard)
  login(@Req() req: GuardedRequest, @Res() res: Response): void {
    res.redirect(302, req.authCodeRedirect!);
  }

  /** `GET /auth/:provider/callback` → exchange (in the guard), new session, 302 to `returnTo`. */
  @Get(':provider/callback')
  @UseGuards(AuthCodeLoginGuard)
  async callback(@Req() req: GuardedRequest, @Res() res: Response): Promise<void> {
    const login = req.user!;
    await this.sessions.establish(req, res, login);
    res.redirect(302, login.returnTo);
  }

  /** `POST /auth/logout`: revokes where possible, ends the session; a form post lands on `/`. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.destroy(req, res);
    if ((req.headers.accept ?? '').includes('text/html')) res.redirect(303, '/');
    else res.status(204).end();
  }
}
