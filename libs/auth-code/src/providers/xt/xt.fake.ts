import { renderConsentPage } from '../../testing/server/consent-page';
import {
  FakeServer,
  type FakeResponse,
  type FakeRoute,
  type RecordedRequest,
} from '../../testing/server/fake-server';
import { bearerOf, queryParams } from '../../testing/server/fake-request';
import { FakeXtGrants } from './xt.fake-grants';
import type { XtOptions } from './xt.provider';
import type { FakeXtCall, FakeXtOptions } from './xt.fake-options';

export type { FakeXtCall, FakeXtOptions } from './xt.fake-options';

/**
 * Paths the fake serves. The token path is written from XT's document (ApplyToken), not imported
 * from the definition, so that a wrong path there cannot be copied here; the authorize and userinfo
 * paths are not public and are the fake's own.
 */
export const FAKE_XT_PATHS = {
  authorize: '/oauth/authorize',
  consent: '/consent',
  token: '/public/uaa/oauth2/token',
  userinfo: '/v4/user/info',
} as const;

/**
 * A fake XT.COM on a real port: consent page, the GET token endpoint for code exchange and refresh
 * answering in the `{ rc, mc, ma, result }` envelope (errors are HTTP 200 with `rc: 1`), and a
 * userinfo endpoint in the same envelope (an unusable access token answers HTTP 401 with
 * `mc: "TOKEN_INVALID"`). XT's own error codes are not public: the fake's `mc` codes
 * (`CLIENT_INVALID`, `CODE_INVALID`, `REFRESH_TOKEN_INVALID`, `GRANT_TYPE_INVALID`,
 * `PARAMETER_REPEATED`, `METHOD_NOT_SUPPORTED`) are its own.
 *
 * It refuses what a real server refuses: at the authorize page an unknown client, a response_type
 * other than code, a redirect URI other than the registered one, a repeated parameter (HTTP 400
 * page); at the token endpoint a POST (HTTP 405, the call is a GET), a repeated parameter, wrong
 * client credentials, an unknown, used or expired code, an unknown, spent or expired refresh token
 * and an unknown grant type (HTTP 200, `rc: 1`); at userinfo a missing or dead bearer token (401).
 */
export class FakeXt extends FakeServer implements FakeXtOptions {
  clientId = 'XTFAKECLIENT0001';
  clientSecret = 'xt-fake-client-secret';
  userId = '12345678';
  tokenLifetimeSeconds = 86_400;
  refreshLifetimeSeconds = 15_552_000;
  codeLifetimeSeconds = 300;
  rotateRefreshTokens = false;
  redirectUri = 'http://localhost:3000/auth/xt/callback';
  userinfo: Record<string, unknown> = { nickname: 'Fake XT user', email: 'user@xt.example' };
  /** Codes, tokens and the signing key. */
  readonly grants = new FakeXtGrants();
  private readonly forced = new Map<FakeXtCall, FakeResponse[]>();

  constructor(options: Partial<FakeXtOptions> = {}) {
    super();
    Object.assign(this, options);
  }

  /** Creates the signing key, then listens. */
  override async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await this.grants.init();
    return super.start(port, host);
  }

  /** Makes the next `times` calls answer HTTP `status` (default 200) with `rc: 1` and this `mc`. */
  forceError(
    call: FakeXtCall,
    mc: string,
    opts: { ma?: unknown[]; status?: number; times?: number } = {},
  ): void {
    this.queue(call, opts.times ?? 1, {
      status: opts.status ?? 200,
      body: xtError(mc, opts.ma ?? []),
    });
  }

  /** Makes the next `times` calls answer HTTP 429, as XT's rate limiter does. */
  rateLimit(call: FakeXtCall, times = 1): void {
    const body = xtError('TOO_MANY_REQUESTS', []);
    this.queue(call, times, { status: 429, headers: { 'retry-after': '1' }, body });
  }

  /** How many token calls used this grant type. */
  grantCount(grantType: 'authorization_code' | 'refresh_token'): number {
    return this.requestsTo('token').filter((r) => r.query.grant_type === grantType).length;
  }

  /** Options of the `xt()` provider pointing at this fake. */
  providerOptions(redirectUri: string, overrides: Partial<XtOptions> = {}): XtOptions {
    return {
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      redirectUri,
      authorizeUrl: this.url + FAKE_XT_PATHS.authorize,
      apiUrl: this.url,
      userinfoUrl: this.url + FAKE_XT_PATHS.userinfo,
      ...overrides,
    };
  }

  /**
   * The environment that points `AuthCodeModule.forRoot()` at this running fake: client, token
   * host, authorize page and userinfo. The app's redirect URI must be the one given to the fake.
   */
  environment(): Record<string, string> {
    const o = this.providerOptions('');
    return {
      XT_CLIENT_ID: o.clientId,
      XT_CLIENT_SECRET: o.clientSecret,
      XT_AUTHORIZE_URL: o.authorizeUrl,
      XT_API_URL: o.apiUrl!,
      XT_USERINFO_URL: o.userinfoUrl!,
    };
  }

  /** Forgets recorded requests, pending faults and forced errors, codes and tokens. */
  override reset(): void {
    super.reset();
    this.forced.clear();
    this.grants.clear();
  }

  protected routes(): FakeRoute[] {
    const get = (name: string, path: string, handle: FakeRoute['handle']): FakeRoute => ({
      name,
      method: 'GET',
      path,
      handle,
    });
    return [
      get('authorize', FAKE_XT_PATHS.authorize, (r) => this.authorize(r)),
      get('consent', FAKE_XT_PATHS.consent, (r) => this.consentRoute(r)),
      get('token', FAKE_XT_PATHS.token, (r) => this.token(r)),
      {
        name: 'token-post',
        method: 'POST',
        path: FAKE_XT_PATHS.token,
        handle: () => ({ status: 405, body: xtError('METHOD_NOT_SUPPORTED', ['POST']) }),
      },
      get('userinfo', FAKE_XT_PATHS.userinfo, (r) => this.userinfoRoute(r)),
    ];
  }

  private authorize(req: RecordedRequest): FakeResponse {
    const refusal = this.checkAuthorize(req);
    if (refusal) return { status: 400, body: `<html><body>${refusal}</body></html>` };
    return { body: renderConsentPage({ provider: 'XT.COM', params: queryParams(req).values }) };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const refusal = this.checkAuthorize(req);
    if (refusal) return { status: 400, body: `<html><body>${refusal}</body></html>` };
    const q = queryParams(req).values;
    const target = new URL(q.redirect_uri);
    if (q.decision === 'approve') {
      const grant = { userId: this.userId, clientId: this.clientId };
      target.searchParams.set(
        'code',
        this.grants.issueCode(grant, target.toString(), this.codeLifetimeSeconds),
      );
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    return { status: 302, headers: { location: target.toString() } };
  }

  private checkAuthorize(req: RecordedRequest): string | undefined {
    const { values: q, repeated } = queryParams(req);
    const others = repeated.filter((name) => name !== 'decision');
    if (others.length > 0) return `${others[0]} is repeated`;
    if (q.client_id !== this.clientId) return 'unknown client_id';
    if (q.response_type !== 'code') return 'response_type must be code';
    if (!q.redirect_uri) return 'redirect_uri is missing';
    return q.redirect_uri === this.redirectUri ? undefined : 'redirect_uri is not registered';
  }

  private async token(req: RecordedRequest): Promise<FakeResponse> {
    const { values, repeated } = queryParams(req);
    const q = (name: string): string | undefined => values[name];
    const grantType = q('grant_type');
    const forced = this.forced.get(grantType === 'refresh_token' ? 'refresh' : 'token')?.shift();
    if (forced) return forced;
    if (repeated.length > 0) return { body: xtError('PARAMETER_REPEATED', repeated) };
    if (q('client_id') !== this.clientId || q('client_secret') !== this.clientSecret) {
      return { body: xtError('CLIENT_INVALID', ['client_id']) };
    }
    const lifetimes = {
      accessToken: this.tokenLifetimeSeconds,
      refreshToken: this.refreshLifetimeSeconds,
    };
    if (grantType === 'authorization_code') {
      const grant = this.grants.redeemCode(q('code'), this.clientId);
      if (!grant) return { body: xtError('CODE_INVALID', ['code']) };
      return {
        body: this.success(grant.userId, await this.grants.issueTokens(grant, lifetimes, true)),
      };
    }
    if (grantType === 'refresh_token') {
      const grant = this.grants.redeemRefreshToken(
        q('refresh_token'),
        this.clientId,
        this.rotateRefreshTokens,
      );
      if (!grant) return { body: xtError('REFRESH_TOKEN_INVALID', ['refresh_token']) };
      const tokens = await this.grants.issueTokens(grant, lifetimes, this.rotateRefreshTokens);
      return { body: this.success(grant.userId, tokens) };
    }
    return { body: xtError('GRANT_TYPE_INVALID', ['grant_type']) };
  }

  private userinfoRoute(req: RecordedRequest): FakeResponse {
    const forced = this.forced.get('userinfo')?.shift();
    if (forced) return forced;
    const bearer = bearerOf(req);
    const grant = bearer.kind === 'token' ? this.grants.accessGrant(bearer.token) : undefined;
    if (!grant) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        body: xtError('TOKEN_INVALID', []),
      };
    }
    return {
      body: { rc: 0, mc: 'SUCCESS', ma: [], result: { user_id: grant.userId, ...this.userinfo } },
    };
  }

  /** The seed's success shape, field for field; without a new refresh token its two fields go. */
  private success(
    userId: string,
    tokens: { accessToken: string; refreshToken?: string },
  ): Record<string, unknown> {
    const rotated = tokens.refreshToken !== undefined;
    const result = {
      user_id: userId,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_in: this.tokenLifetimeSeconds,
      refresh_expires_in: rotated ? this.refreshLifetimeSeconds : undefined,
      client_id: this.clientId,
      scope: 'userinfo',
    };
    // JSON.stringify drops the undefined fields
    return { rc: 0, mc: 'SUCCESS', ma: [], result };
  }

  private queue(call: FakeXtCall, times: number, response: FakeResponse): void {
    const list = this.forced.get(call) ?? [];
    for (let i = 0; i < times; i++) list.push(response);
    this.forced.set(call, list);
  }
}

/** XT's error envelope. */
function xtError(mc: string, ma: unknown[]): Record<string, unknown> {
  return { rc: 1, mc, ma, result: null };
}
