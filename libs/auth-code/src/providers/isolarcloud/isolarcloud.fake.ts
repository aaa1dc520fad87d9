import { renderConsentPage } from '../../testing/server/consent-page';
import {
  FakeServer,
  type FakeResponse,
  type FakeRoute,
  type RecordedRequest,
} from '../../testing/server/fake-server';
import { jsonObject, queryParams } from '../../testing/server/fake-request';
import { envelope, envelopeError, htmlPage } from './isolarcloud.fake-envelope';
import {
  IsolarcloudFakeGrants,
  type FakeIsolarcloudGrant,
  type FakeIsolarcloudTokens,
} from './isolarcloud.fake-grants';
import type {
  FakeIsolarcloudOptions,
  FakeIsolarcloudPlant,
  FakeIsolarcloudRoute,
} from './isolarcloud.fake-options';

export type {
  FakeIsolarcloudOptions,
  FakeIsolarcloudPlant,
  FakeIsolarcloudRoute,
} from './isolarcloud.fake-options';

const SEED_PLANT_IDS = [
  '700667048',
  '700009368',
  '700007278',
  '342472479',
  '700666230',
  '700666205',
  '542241',
  '342469869',
  '342469867',
];

// Wire literals from the iSolarCloud documents (PROVIDERS.md 1, seed), written here and not taken
// from the provider definition, so that a wrong path there cannot be copied into its fake.
const PATHS = {
  login: '/',
  loginRoute: '/authorized-app',
  token: '/openapi/apiManage/token',
  refresh: '/openapi/apiManage/refreshToken',
  plantList: '/openapi/platform/queryPowerStationList',
} as const;
const SECRET_HEADER = 'x-access-key';

/**
 * A fake Sungrow iSolarCloud: the login app (`GET /` and its `/consent`) and the OpenAPI gateway
 * (token, refresh, plant list) on one port. Answers reproduce the seed's envelopes field for field:
 * HTTP 200 with `req_serial_num`, `result_code` as a string, `result_msg` and `result_data`.
 *
 * It refuses what the real service refuses. The login app answers 400 for an unknown
 * `applicationId` or `cloudId`, a `redirectUrl` that is not the registered one, a repeated
 * parameter, and shows no consent outside its `#/authorized-app` route. The gateway answers
 * result_code 4 for a body that is not a JSON object (so no `appkey` can be read), a wrong
 * `x-access-key` or `appkey`; 6 for a wrong `grant_type`; 2 for an unknown, used or expired code
 * or refresh token; 5 for a `redirect_uri` other than the code's; E00003 for a plant-list call
 * without a live bearer token. result_code 3 only comes from {@link forceError}.
 */
export class FakeIsolarcloud extends FakeServer {
  /** Expected `appkey`. */
  appKey: string;
  /** Expected `x-access-key`. */
  secretKey: string;
  /** The App ID the login app accepts. */
  applicationId: string;
  /** The registered redirect URL. */
  redirectUri: string;
  /** The `cloudId` the login app serves. */
  cloudId: string;
  /** `auth_user` of codes issued from now on. */
  userId: number;
  /** The user's plants, all authorized at consent. */
  plants: FakeIsolarcloudPlant[];
  /** `expires_in` of tokens issued from now on. */
  tokenLifetimeSeconds: number;
  /** Send `expires_in` as a string. */
  expiresInAsString: boolean;
  /** Refresh answers rotate the refresh token. */
  rotateRefreshTokens: boolean;
  /** Where token fields go besides (or instead of) `result_data`. */
  tokensAtTopLevel: boolean | 'only';
  private readonly grants = new IsolarcloudFakeGrants();
  private readonly forced = new Map<FakeIsolarcloudRoute, string[]>();

  constructor(options: FakeIsolarcloudOptions = {}) {
    super();
    this.appKey = options.appKey ?? 'B968E49385CBD8C74587A374E7B1D21A';
    this.secretKey = options.secretKey ?? 'fake-isolarcloud-secret-key';
    this.applicationId = options.applicationId ?? '1234';
    this.redirectUri = options.redirectUri ?? 'http://localhost:3000/auth/isolarcloud/callback';
    this.cloudId = options.cloudId ?? '2';
    this.userId = options.userId ?? 408056;
    this.plants = options.plants ?? SEED_PLANT_IDS.map((id) => ({ id, name: `Plant ${id}` }));
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 172799;
    this.expiresInAsString = options.expiresInAsString ?? false;
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? true;
    this.tokensAtTopLevel = options.tokensAtTopLevel ?? false;
  }

  /** The next call of `route` answers `resultCode` (any string: '2'..'6', 'E00003', 'E999'...). */
  forceError(route: FakeIsolarcloudRoute, resultCode: string): void {
    this.forced.set(route, [...(this.forced.get(route) ?? []), resultCode]);
  }

  /**
   * As {@link FakeServer.consent}, but like the real login app it shows the consent only on its
   * `#/authorized-app` route: any other fragment is a page without a form (this throws).
   */
  override async consent(
    authorizeUrl: string,
    decision: 'approve' | 'deny' = 'approve',
  ): Promise<string> {
    const hash = new URL(authorizeUrl).hash;
    const query = hash.indexOf('?');
    const route = hash.slice(1, query === -1 ? undefined : query);
    if (route !== PATHS.loginRoute) {
      throw new Error(`the iSolarCloud login app has no page at #${route}`);
    }
    return super.consent(authorizeUrl, decision);
  }

  /**
   * The environment that points `AuthCodeModule.forRoot()` at this running fake: its keys, App ID,
   * gateway, login app and cloud. The app's redirect URI must be the one given to the fake.
   */
  environment(): Record<string, string> {
    return {
      ISOLARCLOUD_APP_KEY: this.appKey,
      ISOLARCLOUD_SECRET_KEY: this.secretKey,
      ISOLARCLOUD_APPLICATION_ID: this.applicationId,
      ISOLARCLOUD_GATEWAY_URL: this.url,
      ISOLARCLOUD_LOGIN_URL: this.url,
      ISOLARCLOUD_CLOUD_ID: this.cloudId,
    };
  }

  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): void {
    this.grants.expireAccessTokens();
  }

  /** Forgets recorded requests, pending faults and forced errors. */
  override reset(): void {
    super.reset();
    this.forced.clear();
  }

  protected routes(): FakeRoute[] {
    const route = (
      name: string,
      method: 'GET' | 'POST',
      path: string,
      handle: FakeRoute['handle'],
    ) => ({ name, method, path, handle }) satisfies FakeRoute;
    // the login SPA reads its parameters from location.hash, state from the real query
    const loginPage = renderConsentPage({
      provider: 'iSolarCloud',
      params: 'from-location',
      fragmentRoute: PATHS.loginRoute,
    });
    return [
      route('authorize', 'GET', PATHS.login, () => ({ body: loginPage })),
      route('consent', 'GET', '/consent', (req) => this.consentDecision(req)),
      route('token', 'POST', PATHS.token, (req) => this.token(req)),
      route('refresh', 'POST', PATHS.refresh, (req) => this.refresh(req)),
      route('plants', 'POST', PATHS.plantList, (req) => this.plantList(req)),
    ];
  }

  private consentDecision(req: RecordedRequest): FakeResponse {
    const { values: q, repeated } = queryParams(req);
    if (repeated.length > 0) return htmlPage(400, 'Invalid request');
    if (q.applicationId !== this.applicationId) return htmlPage(400, 'Unknown application');
    if (q.cloudId !== this.cloudId) return htmlPage(400, 'Unknown cloud');
    // extra query parameters on redirectUrl are stripped; the rest must match byte for byte
    const redirect = q.redirectUrl?.split(/[?#]/)[0];
    if (!redirect || redirect !== this.redirectUri) {
      return htmlPage(400, 'Invalid redirect address');
    }
    const target = new URL(redirect);
    if (q.decision === 'approve') {
      const plantIds = this.plants.map((p) => p.id);
      target.searchParams.set('code', this.grants.issueCode(redirect, this.userId, plantIds));
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return { status: 302, headers: { location: target.toString() } };
  }

  private token(req: RecordedRequest): FakeResponse {
    const refused = this.takeForced('token') ?? this.checkClient(req);
    if (refused) return refused;
    const body = jsonObject(req)!;
    if (body.grant_type !== 'authorization_code') return envelopeError('6');
    const code = typeof body.code === 'string' ? body.code : '';
    const issued = this.grants.takeCode(code);
    // the real service echoes the rejected code in its message (seed 2.2)
    if (!issued) return envelopeError('2', `Invalid authorization code: ${code}`);
    if (body.redirect_uri !== issued.redirectUri) return envelopeError('5');
    return this.tokenAnswer(
      this.grants.issueTokens(issued.grant, this.tokenLifetimeSeconds),
      issued.grant,
    );
  }

  private refresh(req: RecordedRequest): FakeResponse {
    const refused = this.takeForced('refresh') ?? this.checkClient(req);
    if (refused) return refused;
    const body = jsonObject(req)!;
    if (body.grant_type !== undefined && body.grant_type !== 'refresh_token')
      return envelopeError('6');
    const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    const done = this.grants.refresh(token, this.tokenLifetimeSeconds, this.rotateRefreshTokens);
    if (!done) return envelopeError('2', 'Invalid refresh token');
    return this.tokenAnswer(done.tokens, done.grant);
  }

  private plantList(req: RecordedRequest): FakeResponse {
    const refused = this.takeForced('plants') ?? this.checkClient(req);
    if (refused) return refused;
    const bearer = /^Bearer (\S+)$/i.exec(one(req.headers.authorization) ?? '')?.[1];
    const grant = bearer ? this.grants.grantOf(bearer) : undefined;
    if (!grant) return envelopeError('E00003');
    const body = jsonObject(req)!;
    const page = positiveInt(body.page, 1);
    const size = positiveInt(body.size, 50);
    const authorized = this.plants.filter((p) => grant.plantIds.includes(p.id));
    const pageList = authorized.slice((page - 1) * size, page * size).map((p) => ({
      ps_id: Number(p.id),
      ps_name: p.name,
      ps_location: p.location ?? '',
      online_status: p.online === false ? 0 : 1,
    }));
    return envelope('1', { rowCount: authorized.length, pageList });
  }

  private tokenAnswer(tokens: FakeIsolarcloudTokens, grant: FakeIsolarcloudGrant): FakeResponse {
    const lifetime = this.tokenLifetimeSeconds;
    const tokenFields = {
      access_token: tokens.accessToken,
      token_type: 'bearer',
      ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
      expires_in: this.expiresInAsString ? String(lifetime) : lifetime,
    };
    const identity = { auth_ps_list: [...grant.plantIds], auth_user: grant.userId };
    const only = this.tokensAtTopLevel === 'only';
    const answer = envelope('1', only ? identity : { ...tokenFields, ...identity });
    if (this.tokensAtTopLevel) Object.assign(answer.body as object, tokenFields);
    return answer;
  }

  private takeForced(route: FakeIsolarcloudRoute): FakeResponse | undefined {
    const code = this.forced.get(route)?.shift();
    return code === undefined ? undefined : envelopeError(code);
  }

  /** The secret key header and a JSON object body with the right `appkey`, else result_code 4. */
  private checkClient(req: RecordedRequest): FakeResponse | undefined {
    const body = jsonObject(req);
    if (!body) return envelopeError('4', 'Invalid client: the body must be a JSON object');
    const key = one(req.headers[SECRET_HEADER]);
    return key !== this.secretKey || body.appkey !== this.appKey ? envelopeError('4') : undefined;
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function positiveInt(v: unknown, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
