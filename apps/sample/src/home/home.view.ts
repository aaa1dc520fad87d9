import { Inject, Injectable } from '@nestjs/common';
import {
  AUTH_CODE_RESOLVED_OPTIONS,
  AuthCodeError,
  AuthSessionService,
  ProviderApiClient,
  ProviderRegistry,
  safeReturnTo,
  TokenService,
  type IsolarcloudPlantList,
  type Profile,
  type ResolvedAuthCodeOptions,
  type SessionRecord,
} from 'nestjs-auth-code';
import { SAMPLE_OPTIONS, type SampleOptions } from '../sample.options';
import { ConnectionListService, type ConnectionBody } from '../connections/connection-list.service';
import { PlantMonitorService } from '../monitor/plant-monitor.service';

/** A plant the user authorized, with its name from the plant list. */
export interface PlantView {
  /** Plant id. */
  id: string;
  /** Name from the plant list, when the list could be read. */
  name?: string;
}

/** One provider grant of the session, as the page shows it (never a token). */
export interface GrantView {
  /** Provider id. */
  provider: string;
  /** Provider name. */
  displayName: string;
  /** Access token expiry, epoch ms. */
  expiresAt: number;
  /** Authorized plants (providers whose profile lists `plantIds`: iSolarCloud). */
  plants?: PlantView[];
  /** Why the plant names could not be read. */
  plantsError?: string;
}

/** One row of the Connected-accounts panel: a connection of the session, with its provider's name. */
export interface ConnectionView extends ConnectionBody {
  /** Provider name. */
  providerName: string;
}

/** Everything the home page shows. */
export interface HomeView {
  /** Demo mode (fake providers). */
  demo: boolean;
  /** The app's public base URL (`AUTH_BASE_URL`). */
  baseUrl: string;
  /** The origin the page was opened at, when it is not the base URL's (e.g. 127.0.0.1 for localhost). */
  openedAt?: string;
  /** Where to land after a login started here (a same-origin path), when not `/`. */
  returnTo?: string;
  /** Enabled providers, in configuration order. */
  providers: Array<{ id: string; displayName: string }>;
  /**
   * The browser's session was replaced a moment ago by a login in another tab (whose answer has
   * set the new cookie): the page reloads once a second until it is seen, instead of showing the
   * user logged out.
   */
  replaced?: boolean;
  /** The logged-in user. */
  user?: Profile;
  /** The session's grants. */
  grants: GrantView[];
  /** The session's connected accounts (its grants and its user's connections), in configuration order. */
  connections?: ConnectionView[];
  /** Seconds between plant monitor rounds, when the monitor runs. */
  plantMonitorSeconds?: number;
}

/** What the home page reads of a request. */
type HomeRequest = Parameters<AuthSessionService['current']>[0];

/** Builds the {@link HomeView} of a request: anonymous, or the session's profile and grants. */
@Injectable()
export class HomeViewService {
  constructor(
    private readonly sessions: AuthSessionService,
    private readonly tokens: TokenService,
    private readonly registry: ProviderRegistry,
    private readonly api: ProviderApiClient,
    private readonly connections: ConnectionListService,
    private readonly monitor: PlantMonitorService,
    @Inject(SAMPLE_OPTIONS) private readonly sample: SampleOptions,
    @Inject(AUTH_CODE_RESOLVED_OPTIONS)
    private readonly options: Pick<ResolvedAuthCodeOptions, 'baseUrl'>,
  ) {}

  /** The view for a request and its `returnTo` query. */
  async build(req: HomeRequest, returnTo: unknown): Promise<HomeView> {
    const safe = safeReturnTo(returnTo);
    const session = await this.sessions.current(req);
    return {
      demo: this.sample.demo === true,
      baseUrl: this.options.baseUrl,
      openedAt: this.foreignOrigin(req),
      returnTo: safe === '/' ? undefined : safe,
      providers: this.registry
        .ids()
        .map((id) => ({ id, displayName: this.registry.displayName(id) })),
      replaced: session ? undefined : (await this.sessions.wasReplaced(req)) || undefined,
      user: session?.user,
      grants: session ? await this.grants(session) : [],
      connections: session ? await this.connectionRows(session) : undefined,
      plantMonitorSeconds: this.monitor.enabled ? this.monitor.intervalSeconds : undefined,
    };
  }

  /** `http://<host>` when the host the browser used is not the base URL's host. */
  private foreignOrigin(req: HomeRequest): string | undefined {
    const base = new URL(this.options.baseUrl);
    // Behind a proxy the browser's host is X-Forwarded-Host; Host is then the proxy's upstream.
    const host = req.headers['x-forwarded-host'] ?? req.headers.host;
    if (typeof host !== 'string' || host === base.host) return undefined;
    return `${base.protocol}//${host.slice(0, 255)}`;
  }

  private async connectionRows(session: SessionRecord): Promise<ConnectionView[]> {
    const list = await this.connections.list(session);
    return list.map((c) => ({ ...c, providerName: this.registry.displayName(c.provider) }));
  }

  /** The session's grants, in configuration order. */
  private grants(session: SessionRecord): Promise<GrantView[]> {
    const order = this.registry.ids();
    const providers = [...session.providers].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    return Promise.all(providers.map((p) => this.grant(session, p)));
  }

  private async grant(session: SessionRecord, provider: string): Promise<GrantView> {
    const grant = await this.tokens.getGrant(session.id, provider, session);
    const view: GrantView = {
      provider,
      displayName: this.registry.displayName(provider),
      expiresAt: grant?.tokenSet.expiresAt ?? 0,
    };
    const plantIds = grant?.profile.extras?.plantIds;
    if (Array.isArray(plantIds))
      Object.assign(view, await this.plants(session, provider, plantIds.map(String)));
    return view;
  }

  /** The authorized plant ids with their names from the plant list API call. */
  private async plants(
    session: SessionRecord,
    provider: string,
    ids: string[],
  ): Promise<Partial<GrantView>> {
    try {
      // The session was read for this request: the call reads only the grant (for its token).
      const list = await this.api.call<IsolarcloudPlantList>(
        session.id,
        provider,
        'plants',
        session,
      );
      const names = new Map((list?.pageList ?? []).map((p) => [String(p.ps_id), p.ps_name]));
      return { plants: ids.map((id) => ({ id, name: names.get(id) })) };
    } catch (err) {
      const why = err instanceof AuthCodeError ? err.message : 'The plant list could not be read';
      return { plants: ids.map((id) => ({ id })), plantsError: why };
    }
  }
}
