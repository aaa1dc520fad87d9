import { renderConsentPage } from '../../testing/consent-page';
import {
  FakeServer,
  type FakeResponse,
  type FakeRoute,
  type RecordedRequest,
} from '../../testing/fake-server';
import { ISOLARCLOUD_PATHS, ISOLARCLOUD_SECRET_HEADER } from './isolarcloud.constants';
import { envelope, envelopeError, htmlPage } from './isolarcloud.fake-envelope';
import {
  IsolarcloudFakeGrants,
  type FakeIsolarcloudGrant,
  type FakeIsolarcloudTokens,
} from './isolarcloud.fake-grants';

/** A plant the fake user owns. */
export interface FakeIsolarcloudPlant {
  /** Plant id (`ps_id`; a string in `auth_ps_list`, a number in the plant list). */
  id: string;
  /** `ps_name`. */
  name: string;
  /** `ps_location`. @default '' */
  location?: string;
  /** `online_status` 1 when true. @default true */
  online?: boolean;
}

/** Routes whose next answer {@link FakeIsolarcloud.forceError} can force. */
export type FakeIsolarcloudRoute = 'token' | 'refresh' | 'plants';

/** Knobs of {@link FakeIsolarcloud}; each is also a public field that can change between calls. */
export interface FakeIsolarcloudOptions {
  /** @default 'B968E49385CBD8C74587A374E7B1D21A' (the seed's example) */
  appKey?: string;
  /** Expected `x-access-key`. @default 'fake-isolarcloud-secret-key' */
  secretKey?: string;
  /** The numeric App ID the login app accepts. @default '1234' */
  applicationId?: string;
  /** When set, the only `redirectUrl` the login app accepts. @default any http(s) URL */
  redirectUri?: string;
  /** `auth_user`. @default 408056 */
  userId?: number;
  /** The user's plants; all of them are authorized at consent. @default the seed's nine plant ids */
  plants?: FakeIsolarcloudPlant[];
  /** `expires_in` of issued access tokens, in seconds; 0 or negative allowed. @default 172799 */
  tokenLifetimeSeconds?: number;
  /** Send `expires_in` as a string, as the table of the seed documents it. @default false */
  expiresInAsString?: boolean;
  /** Refresh answers carry a new single-use refresh token. @default true */
  rotateRefreshTokens?: boolean;
  /** Token fields also at the top level (`true`), or only there (`'only'`). @default false */
  tokensAtTopLevel?: boolean | 'only';
}

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

/**
 * A fake Sungrow iSolarCloud: the login app (`GET /` and its `/consent`) and the OpenAPI gateway
 * (token, refresh, plant list) on one port. Answers reproduce the seed's envelopes field for field:
 * HTTP 200 with `req_serial_num`, `result_code` as a string, `result_msg` and `result_data`.
 * A wrong `x-access-key` or `appkey` answers result_code 4; result_code 3 only comes from {@link forceError}.
 */
export class FakeIsolarcloud extends FakeServer {
  /** Expected `appkey`. */
  appKey: string;
  /** Expected `x-access-key`. */
  secretKey: string;
  /** The App ID the login app accepts. */
  applicationId: string;
  /** The only accepted `redirectUrl`, when set. */
  redirectUri?: string;
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
    this.redirectUri = options.redirectUri;
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
    const loginPage = renderConsentPage({ provider: 'iSolarCloud', params: 'from-location' });
    return [
      route('authorize', 'GET', '/', () => ({ body: loginPage })),
      route('consent', 'GET', '/consent', (req) => this.consentDecision(req)),
      route('token', 'POST', ISOLARCLOUD_PATHS.token, (req) => this.token(req)),
      route('refresh', 'POST', ISOLARCLOUD_PATHS.refresh, (req) => this.refresh(req)),
      route('plants', 'POST', ISOLARCLOUD_PATHS.plantList, (req) => this.plantList(req)),
    ];
  }

  private consentDecision(req: RecordedRequest): FakeResponse {
    if (one(req.query.applicationId) !== this.applicationId)
      return htmlPage(400, 'Unknown application');
    // extra query parameters on redirectUrl are stripped; the rest must match byte for byte
    const redirect = one(req.query.redirectUrl)?.split(/[?#]/)[0];
    if (
      !redirect ||
      !isHttpUrl(redirect) ||
      (this.redirectUri !== undefined && redirect !== this.redirectUri)
    ) {
      return htmlPage(400, 'Invalid redirect address');
    }
    const target = new URL(redirect);
    if (one(req.query.decision) === 'approve') {
      const plantIds = this.plants.map((p) => p.id);
      target.searchParams.set('code', this.grants.issueCode(redirect, this.userId, plantIds));
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    const state = one(req.query.state);
    if (state !== undefined) target.searchParams.set('state', state);
    return { status: 302, headers: { location: target.toString() } };
  }

  private token(req: RecordedRequest): FakeResponse {
    const body = req.body ?? {};
    const refused = this.takeForced('token') ?? this.checkClient(req);
    if (refused) return refused;
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
    const body = req.body ?? {};
    const refused = this.takeForced('refresh') ?? this.checkClient(req);
    if (refused) return refused;
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
    const page = positiveInt(req.body?.page, 1);
    const size = positiveInt(req.body?.size, 50);
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

  private checkClient(req: RecordedRequest): FakeResponse | undefined {
    const key = one(req.headers[ISOLARCLOUD_SECRET_HEADER]);
    return key !== this.secretKey || req.body?.appkey !== this.appKey
      ? envelopeError('4')
      : undefined;
  }
}

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function positiveInt(v: unknown, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
