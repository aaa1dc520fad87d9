import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import type { HttpRequestLike } from 'nestjs-auth-code';
import { Public } from 'nestjs-auth-code';
import { HOME_CSP, renderHomePage } from './home.page';
import { HomeViewService } from './home.view';

/**
 * `GET /`: login buttons, and when logged in the profile, the Connected-accounts panel, plants,
 * token expiries and logout.
 */
@Public()
@Controller()
export class HomeController {
  constructor(private readonly view: HomeViewService) {}

  /** The page; `?returnTo=/path` is passed on to the login buttons (same-origin paths only). */
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', HOME_CSP)
  async home(@Req() req: HttpRequestLike, @Query('returnTo') returnTo?: unknown): Promise<string> {
    return renderHomePage(await this.view.build(req, returnTo));
  }
}
