import { Injectable } from '@nestjs/common';
import {
  ProviderRegistry,
  TokenService,
  type Connection,
  type SessionRecord,
} from 'nestjs-auth-code';
import {
  MONITORED_PROVIDER,
  PlantMonitorService,
  type PlantMonitorResult,
} from '../monitor/plant-monitor.service';

/**
 * One connected account as `GET /api/connections` lists it: the library's {@link Connection}
 * (`provider`, `userId`, `displayName?`, `scope`, `status`, `expiresAt?`, `refreshExpiresAt?`,
 * `lastRefreshAt?`, epoch ms) and, on a user-scoped iSolarCloud connection, what the plant
 * monitor last saw. Never a token.
 */
export interface ConnectionBody extends Connection {
  /** The plant monitor's last result for this user (iSolarCloud, user scope). */
  monitor?: PlantMonitorResult;
}

/** The session's connected accounts, in configuration order, for the API and the home page. */
@Injectable()
export class ConnectionListService {
  constructor(
    private readonly tokens: TokenService,
    private readonly registry: ProviderRegistry,
    private readonly monitor: PlantMonitorService,
  ) {}

  /** Every account of the session (its own grants and its user's connections) of an enabled provider. */
  async list(session: SessionRecord): Promise<ConnectionBody[]> {
    const order = this.registry.ids();
    const list = (await this.tokens.connections(session.id, session))
      .filter((c) => this.registry.has(c.provider))
      .sort((a, b) => order.indexOf(a.provider) - order.indexOf(b.provider));
    return list.map((c) => this.withMonitor(c, session.userKey));
  }

  /** The session's entry for one provider, or undefined when it holds none. */
  async one(session: SessionRecord, provider: string): Promise<ConnectionBody | undefined> {
    return (await this.list(session)).find((c) => c.provider === provider);
  }

  private withMonitor(c: Connection, userKey: string | undefined): ConnectionBody {
    if (c.provider !== MONITORED_PROVIDER || c.scope !== 'user' || userKey === undefined) return c;
    const result = this.monitor.resultFor(userKey);
    return result ? { ...c, monitor: result } : c;
  }
}
