import { Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  CurrentSession,
  ProviderRegistry,
  requireEnabledProvider,
  TokenService,
  type SessionRecord,
} from 'nestjs-auth-code';
import { ConnectionListService, type ConnectionBody } from './connection-list.service';
import { SameOriginGuard } from './same-origin.guard';

/**
 * The session's connected accounts as JSON (behind the global `SessionGuard`; never a token):
 * `GET /api/connections`, `DELETE /api/connections/:provider` (disconnect: revoked at the provider
 * where it can, then deleted — a user-scoped connection for every session of the user) and
 * `POST /api/connections/:provider/refresh` ("Refresh now"). The two changes refuse a request
 * another site made (403 `cross_site_request`); an unknown provider is 404 `provider_disabled`.
 */
@Controller('api/connections')
export class ConnectionsController {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionListService,
  ) {}

  /** `[{ provider, userId, displayName?, scope, status, expiresAt?, refreshExpiresAt?, lastRefreshAt?, monitor? }]` */
  @Get()
  list(@CurrentSession() session: SessionRecord): Promise<ConnectionBody[]> {
    return this.connections.list(session);
  }

  /** Disconnects `provider`: 204, also when the session held no grant of it. */
  @Delete(':provider')
  @UseGuards(SameOriginGuard)
  @HttpCode(204)
  async disconnect(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<void> {
    await this.tokens.revoke(session.id, requireEnabledProvider(this.registry, provider));
  }

  /**
   * Refreshes `provider`'s tokens now, whether due or not: one upstream call however many ask at
   * once (single-flight, and across instances). 200 with the connection as it is now; 401
   * `login_required` when the session holds none or its refresh token died.
   */
  @Post(':provider/refresh')
  @UseGuards(SameOriginGuard)
  @HttpCode(200)
  async refresh(
    @Param('provider') provider: string,
    @CurrentSession() session: SessionRecord,
  ): Promise<ConnectionBody | undefined> {
    await this.tokens.refresh(session.id, provider, { force: true, session });
    return this.connections.one(session, provider);
  }
}
