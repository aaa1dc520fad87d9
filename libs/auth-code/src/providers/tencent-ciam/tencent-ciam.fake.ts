import { renderConsentPage } from '../../testing/server/consent-page';
import {
  bearerOf,
  consentParams,
  queryParams,
  type FakeParams,
} from '../../testing/server/fake-request';
import {
  FakeServer,
  type FakeResponse,
  type FakeRoute,
  type RecordedRequest,
} from '../../testing/server/fake-server';
import {
  FakeTencentCiamGrants,
  type FakeTencentCiamTokenSettings,
  type FakeTencentCiamUser,
} from './tencent-ciam.fake-grants';
import { FakeTencentCiamSigner } from './tencent-ciam.fake-signer';
import { answerRevoke, answerToken, formOf } from './tencent-ciam.fake-token-endpoint';
import type {
  FakeTencentCiamErrorRoute,
  FakeTencentCiamOptions,
} from './tencent-ciam.fake-options';

export type {
  FakeTencentCiamErrorRoute,
  FakeTencentCiamOptions,
} from './tencent-ciam.fake-options';

export type { FakeTencentCiamUser } from './tencent-ciam.fake-grants';

const PROVIDER = 'Tencent Cloud CIAM';
const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'auth_source_id',
];
const BARE_400: FakeResponse = { status: 400, body: 'Bad Request', contentType: 'text/plain' };

/**
 * A faithful Tencent Cloud CIAM tenant on loopback: discovery, authorize + consent, the token
 * endpoint (client_secret_post, client_secret_basic, PKCE public clients, refresh), userinfo, JWKS,
 * revocation and portal logout, with Tencent's own status codes and error bodies.
 */
export class FakeTencentCiam extends FakeServer implements FakeTencentCiamTokenSettings {
  /** See {@link FakeTencentCiamOptions.clientId}. */
  clientId: string;
  /** See {@link FakeTencentCiamOptions.clientSecret}. */
  clientSecret: string;
  /** See {@link FakeTencentCiamOptions.redirectUris}. */
  redirectUris: string[];
  /** See {@link FakeTencentCiamOptions.publicClients}. */
  publicClients: boolean;
  /** See {@link FakeTencentCiamOptions.requirePkce}. */
  requirePkce: boolean;
  /** See {@link FakeTencentCiamOptions.rotateRefreshTokens}. */
  rotateRefreshTokens: boolean;
  /** See {@link FakeTencentCiamOptions.accessTokenTtlSeconds}. */
  accessTokenTtlSeconds: number;
  /** See {@link FakeTencentCiamOptions.idTokenTtlSeconds}. */
  idTokenTtlSeconds: number;
  /** See {@link FakeTencentCiamOptions.jwksKeyName}. */
  jwksKeyName: 'keys' | 'Keys';
  /** See {@link FakeTencentCiamOptions.idTokenClaims}. */
  idTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** The `sub` of the user who approves the next consent. @default the first user */
  loginAs?: string;
  /** Codes, grants and tokens issued so far. */
  readonly grants: FakeTencentCiamGrants;
  /** The signing key. */
  readonly signer = new FakeTencentCiamSigner();
  private readonly configuredIssuer?: string;
  private readonly forced = new Map<FakeTencentCiamErrorRoute, FakeResponse[]>();

  constructor(options: FakeTencentCiamOptions = {}) {
    super();
    this.clientId = options.clientId ?? 'TENANT_CLIENT_ID';
    this.clientSecret = options.clientSecret ?? 'TENANT_CLIENT_SECRET';
    this.redirectUris = options.redirectUris ?? [
      'http://localhost:3000/auth/tencent-ciam/callback',
    ];
    this.publicClients = options.publicClients ?? true;
    this.requirePkce = options.requirePkce ?? false;
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? false;
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 299;
    this.idTokenTtlSeconds = options.idTokenTtlSeconds ?? 1800;
    this.jwksKeyName = options.jwksKeyName ?? 'Keys';
    this.idTokenClaims = options.idTokenClaims;
    this.configuredIssuer = options.issuer;
    this.grants = new FakeTencentCiamGrants(this.signer, this, options.users);
  }

  /** The issuer: the configured one, else the fake's own URL. */
  get issuer(): string {
    return this.configuredIssuer ?? this.url;
  }

  /** The tenant's users by `sub` (add, change or delete users between calls). */
  get users(): Map<string, FakeTencentCiamUser> {
    return this.grants.users;
  }

  /** Creates the signing key, then listens. */
  override async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (!this.signer.ready) await this.signer.rotate();
    return super.start(port, host);
  }

  /**
   * The environment that points `AuthCodeModule.forRoot()` at this running fake (a confidential
   * client). The app's redirect URI must be one of the fake's `redirectUris`.
   */
  environment(): Record<string, string> {
    return {
      TENCENT_CIAM_ISSUER: this.issuer,
      TENCENT_CIAM_CLIENT_ID: this.clientId,
      TENCENT_CIAM_CLIENT_SECRET: this.clientSecret,
    };
  }

  /** Replaces the signing key with a new one (new `kid`); the old key leaves the JWKS. */
  rotateSigningKey(): Promise<string> {
    return this.signer.rotate();
  }

  /**
   * Makes the next call of `route` answer `response` (`token` = the next code exchange, `refresh`
   * = the next refresh). A response without `body` has an empty body.
   */
  forceError(
    route: FakeTencentCiamErrorRoute,
    response: { status: number; body?: unknown; headers?: Record<string, string> },
  ): void {
    this.forced.set(route, [...(this.forced.get(route) ?? []), { ...response }]);
  }

  /** Forgets recorded requests, pending faults and forced errors (not issued tokens). */
  override reset(): void {
    super.reset();
    this.forced.clear();
  }

  protected routes(): FakeRoute[] {
    return [
      {
        name: 'discovery',
        method: 'GET',
        path: '/.well-known/openid-configuration',
        handle: () => this.discovery(),
      },
      {
        name: 'authorize',
        method: 'GET',
        path: '/oauth2/authorize',
        handle: (r) => this.authorize(r),
      },
      { name: 'consent', method: 'GET', path: '/consent', handle: (r) => this.consentRoute(r) },
      { name: 'token', method: 'POST', path: '/oauth2/token', handle: (r) => this.token(r) },
      { name: 'userinfo', method: 'GET', path: '/userinfo', handle: (r) => this.userinfo(r) },
      { name: 'jwks', method: 'GET', path: '/oauth2/jwks', handle: () => this.jwks() },
      { name: 'revoke', method: 'POST', path: '/oauth2/revoke', handle: (r) => this.revoke(r) },
      { name: 'logout', method: 'GET', path: '/logout', handle: (r) => this.logout(r) },
    ];
  }

  /** Lists exactly what Tencent lists: no userinfo, end_session, revocation or PKCE methods. */
  private discovery(): FakeResponse {
    return {
      body: {
        issuer: this.issuer,
        authorization_endpoint: `${this.url}/oauth2/authorize`,
        token_endpoint: `${this.url}/oauth2/token`,
        jwks_uri: `${this.url}/oauth2/jwks`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      },
    };
  }

  /**
   * Validates an authorize request: a bare 400 (bad or repeated client_id or redirect_uri, bad
   * response_type), an error redirect (any other repeated parameter, a bad PKCE challenge), or
   * the parameters when it is good.
   */
  private checkAuthorize(query: FakeParams): FakeResponse | Record<string, string> {
    const q = query.values;
    const bad = (name: string) => query.repeated.includes(name);
    if (bad('client_id') || bad('redirect_uri') || bad('response_type')) return BARE_400;
    if (q.client_id !== this.clientId || !this.redirectUris.includes(q.redirect_uri ?? '')) {
      return BARE_400;
    }
    if (q.response_type !== 'code') return BARE_400;
    if (query.repeated.length > 0) {
      return redirect(q.redirect_uri, { error: 'invalid_request', state: q.state });
    }
    const challenge = q.code_challenge;
    const badPkce =
      (challenge || q.code_challenge_method) && (!challenge || q.code_challenge_method !== 'S256');
    if (badPkce || (this.requirePkce && !challenge)) {
      return redirect(q.redirect_uri, { error: 'invalid_request', state: q.state });
    }
    return q;
  }

  private authorize(req: RecordedRequest): FakeResponse {
    const q = this.checkAuthorize(queryParams(req));
    if (isResponse(q)) return q;
    const params: Record<string, string> = {};
    for (const k of AUTHORIZE_PARAMS) if (q[k] !== undefined) params[k] = q[k];
    return { body: renderConsentPage({ provider: PROVIDER, params }) };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const { params, decision } = consentParams(req);
    const q = this.checkAuthorize(params);
    if (isResponse(q)) return q;
    const back = q.redirect_uri;
    if (decision !== 'approve') return redirect(back, { error: 'access_denied', state: q.state });
    const sub = this.loginAs ?? [...this.users.keys()][0];
    if (!sub || !this.users.has(sub)) return BARE_400;
    const code = this.grants.issueCode({
      clientId: q.client_id,
      redirectUri: back,
      nonce: q.nonce,
      codeChallenge: q.code_challenge,
      // without openid this is a plain OAuth 2.0 request: no id_token (OIDC Core 3.1.2.1)
      scope: q.scope ?? '',
      sub,
    });
    return redirect(back, { code, state: q.state });
  }

  private token(req: RecordedRequest): Promise<FakeResponse> | FakeResponse {
    const grantType = formOf(req)?.grant_type;
    return (
      this.takeForced(grantType === 'refresh_token' ? 'refresh' : 'token') ?? answerToken(this, req)
    );
  }

  /** `GET /userinfo` (not `/oauth2/userinfo`) with `Authorization: Bearer`; errors in WWW-Authenticate. */
  private userinfo(req: RecordedRequest): FakeResponse {
    const forced = this.takeForced('userinfo');
    if (forced) return forced;
    const challenge = (status: number, params = '') => ({
      status,
      headers: { 'www-authenticate': `Bearer${params}` },
    });
    const bearer = bearerOf(req);
    if (bearer.kind === 'none') return challenge(401);
    if (bearer.kind === 'malformed') return challenge(400, ' error="invalid_request"');
    const live = this.grants.liveAccessToken(bearer.token);
    if (!live) {
      return challenge(
        401,
        ' error="invalid_token", error_description="The access token is invalid"',
      );
    }
    if (!live.scope.split(' ').includes('openid')) {
      return challenge(403, ' error="insufficient_scope", scope="openid"');
    }
    const user = this.users.get(live.sub);
    if (!user) return { status: 404, body: { error: 'user_not_found' } };
    return { body: { ...user } };
  }

  private jwks(): FakeResponse {
    return { body: { [this.jwksKeyName]: this.signer.publicJwks() } };
  }

  private revoke(req: RecordedRequest): FakeResponse {
    return this.takeForced('revoke') ?? answerRevoke(this, req);
  }

  /** Portal logout: the redirect target must share an origin with a registered redirect URI. */
  private logout(req: RecordedRequest): FakeResponse {
    const { values: q, repeated } = queryParams(req);
    if (repeated.length > 0) return BARE_400;
    const target = q.logout_redirect_uri;
    const origins = this.redirectUris.map((u) => new URL(u).origin);
    if (
      q.client_id !== this.clientId ||
      !target ||
      !URL.canParse(target) ||
      !origins.includes(new URL(target).origin)
    ) {
      return BARE_400;
    }
    return redirect(target, { state: q.state });
  }

  private takeForced(route: FakeTencentCiamErrorRoute): FakeResponse | undefined {
    return this.forced.get(route)?.shift();
  }
}

function redirect(base: string, params: Record<string, string | undefined>): FakeResponse {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString() } };
}

function isResponse(v: FakeResponse | Record<string, string>): v is FakeResponse {
  return typeof (v as FakeResponse).status === 'number';
}
