import { renderConsentPage } from './server/consent-page';
import { checkAuthorizeRequest } from './server/fake-authorize.check';
import { checkBearer } from './server/fake-bearer.check';
import { FakeGrantBook, type FakeIssued } from './fake-oauth2.grants';
import { consentParams, queryParams, type FakeParams } from './server/fake-request';
import {
  codeMismatch,
  isRefusal,
  oauthError,
  readTokenRequest,
  redirectTo,
  type FakeClientRegistration,
} from './server/fake-rfc6749';
import {
  FakeServer,
  type FakeResponse,
  type FakeRoute,
  type RecordedRequest,
} from './server/fake-server';

/** Options of {@link FakeOAuth2}. */
export interface FakeOAuth2Options {
  /** @default 'fake-client' */
  clientId?: string;
  /** @default 'fake-secret' */
  clientSecret?: string;
  /** Issue a new refresh token on every refresh (and detect reuse of old ones). @default true */
  rotateRefreshTokens?: boolean;
  /**
   * The registered redirect URIs, compared byte for byte at authorize and token.
   * @default ['http://127.0.0.1/auth/fake-oauth2/callback'] (what `fakeOAuth2Definition` sends)
   */
  redirectUris?: string[];
  /** Refuse authorize requests without an S256 `code_challenge`. @default false */
  requirePkce?: boolean;
}

const REALM = 'fake-oauth2';

/** A forced answer of an operation, see {@link FakeOAuth2.forceError}. */
export interface FakeForcedAnswer {
  /** HTTP status. */
  status: number;
  /** Body (object → JSON). @default { error: 'server_error' } */
  body?: unknown;
}

/** Operations a forced answer can target. */
export type FakeOAuth2Operation = 'exchange' | 'refresh' | 'revoke' | 'userinfo';

type Form = Record<string, string>;

/**
 * A strict RFC 6749 authorization server on loopback: consent, `POST /token` (authorization_code
 * with optional PKCE S256, refresh_token with rotation and reuse detection), `POST /revoke`
 * (RFC 7009), `GET /userinfo` (RFC 6750). Client authentication: HTTP Basic or form parameters,
 * never both. It refuses what a conformant server refuses, in RFC 6749 5.2 form: a body that is
 * not a form, a repeated parameter, missing or wrong client credentials, an unregistered or
 * mismatched `redirect_uri`, a bad or missing PKCE verifier (or one for a code without PKCE), an
 * unknown, used or rotated-away refresh token, a replayed code (which also revokes its tokens),
 * and userinfo without a live bearer token.
 */
export class FakeOAuth2 extends FakeServer {
  /** Access token lifetime of the next tokens, in seconds. */
  lifetimeSeconds = 3600;
  /** Whether refreshes rotate the refresh token. */
  rotateRefreshTokens: boolean;
  /** The user every consent logs in. */
  user = { sub: 'user-1', name: 'Ada Example', email: 'ada@example.test' };
  /** Grant bookkeeping (codes, token families). */
  readonly grants = new FakeGrantBook();
  /** The registered client id. */
  readonly clientId: string;
  /** The registered client secret. */
  readonly clientSecret: string;
  /** The registered redirect URIs (add or remove between calls). */
  redirectUris: string[];
  /** Refuse authorize requests without an S256 `code_challenge`. */
  requirePkce: boolean;
  private readonly forced = new Map<FakeOAuth2Operation, FakeForcedAnswer[]>();

  constructor(options: FakeOAuth2Options = {}) {
    super();
    this.clientId = options.clientId ?? 'fake-client';
    this.clientSecret = options.clientSecret ?? 'fake-secret';
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? true;
    this.redirectUris = options.redirectUris ?? ['http://127.0.0.1/auth/fake-oauth2/callback'];
    this.requirePkce = options.requirePkce ?? false;
  }

  /** Makes the next `times` calls of `operation` answer `answer` (after client authentication). */
  forceError(operation: FakeOAuth2Operation, answer: FakeForcedAnswer, times = 1): void {
    const list = this.forced.get(operation) ?? [];
    for (let i = 0; i < times; i++) list.push(answer);
    this.forced.set(operation, list);
  }

  /** Token endpoint calls with `grant_type=refresh_token` so far. */
  get refreshCount(): number {
    return this.requestsTo('token').filter((r) => r.body?.grant_type === 'refresh_token').length;
  }

  /** Token endpoint calls with `grant_type=authorization_code` so far. */
  get exchangeCount(): number {
    return this.requestsTo('token').filter((r) => r.body?.grant_type === 'authorization_code')
      .length;
  }

  /** Issues tokens for the user directly, as if a login had just completed (test set-up). */
  issueTokens(): FakeIssued {
    return this.grants.startFamily(this.user.sub, this.lifetimeSeconds);
  }

  /** Forgets requests, faults and forced answers. */
  override reset(): void {
    super.reset();
    this.forced.clear();
  }

  protected routes(): FakeRoute[] {
    return [
      { name: 'authorize', method: 'GET', path: '/authorize', handle: (r) => this.authorize(r) },
      { name: 'consent', method: 'GET', path: '/consent', handle: (r) => this.consentRoute(r) },
      { name: 'token', method: 'POST', path: '/token', handle: (r) => this.token(r) },
      { name: 'revoke', method: 'POST', path: '/revoke', handle: (r) => this.revoke(r) },
      { name: 'userinfo', method: 'GET', path: '/userinfo', handle: (r) => this.userinfo(r) },
    ];
  }

  /** The client as this server has it registered. */
  get registration(): FakeClientRegistration {
    return {
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      redirectUris: this.redirectUris,
    };
  }

  private checkAuthorize(params: FakeParams) {
    return checkAuthorizeRequest(params, this.registration, { requirePkce: this.requirePkce });
  }

  private authorize(req: RecordedRequest): FakeResponse {
    const checked = this.checkAuthorize(queryParams(req));
    if ('response' in checked) return checked.response;
    return {
      body: renderConsentPage({ provider: 'Fake OAuth 2.0 server', params: checked.params }),
    };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const { params, decision } = consentParams(req);
    const checked = this.checkAuthorize(params);
    if ('response' in checked) return checked.response;
    const q = checked.params;
    if (decision !== 'approve') {
      return redirectTo(q.redirect_uri, { error: 'access_denied', state: q.state });
    }
    const code = this.grants.issueCode({
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      codeChallenge: q.code_challenge,
      sub: this.user.sub,
      scope: q.scope,
    });
    return redirectTo(q.redirect_uri, { code, state: q.state });
  }

  private token(req: RecordedRequest): FakeResponse {
    const read = readTokenRequest(req, this.registration, REALM);
    if (isRefusal(read)) return read;
    const { form, clientId } = read;
    switch (form.grant_type) {
      case undefined:
        return oauthError(400, 'invalid_request', 'grant_type is missing');
      case 'authorization_code':
        return this.forcedOr('exchange', () => this.exchange(form, clientId));
      case 'refresh_token':
        return this.forcedOr('refresh', () => this.refresh(form));
      default:
        return oauthError(400, 'unsupported_grant_type', `grant_type ${form.grant_type}`);
    }
  }

  private exchange(form: Form, clientId: string): FakeResponse {
    if (!form.code) return oauthError(400, 'invalid_request', 'code is missing');
    const code = this.grants.takeCode(form.code);
    if (!code) return invalidGrant('The authorization code is invalid, expired or already used');
    const mismatch = codeMismatch(code, form, clientId);
    if (mismatch) return invalidGrant(mismatch);
    const scope = code.scope ?? '';
    return tokenAnswer(this.grants.startFamily(code.sub, this.lifetimeSeconds, scope, form.code));
  }

  private refresh(form: Form): FakeResponse {
    if (!form.refresh_token) return oauthError(400, 'invalid_request', 'refresh_token is missing');
    const outcome = this.grants.refresh(
      form.refresh_token,
      this.lifetimeSeconds,
      this.rotateRefreshTokens,
    );
    if ('error' in outcome) return invalidGrant(`The refresh token is ${outcome.error}`);
    return tokenAnswer(outcome.issued);
  }

  /** RFC 7009: the client authenticates; unknown tokens are answered 200 too (2.2). */
  private revoke(req: RecordedRequest): FakeResponse {
    const read = readTokenRequest(req, this.registration, REALM);
    if (isRefusal(read)) return read;
    if (!read.form.token) return oauthError(400, 'invalid_request', 'token is missing');
    return this.forcedOr('revoke', () => {
      this.grants.revoke(read.form.token);
      return { status: 200 };
    });
  }

  private userinfo(req: RecordedRequest): FakeResponse {
    const checked = checkBearer(req, REALM, (t) => this.grants.userOf(t) === this.user.sub);
    if ('response' in checked) return checked.response;
    return this.forcedOr('userinfo', () => ({ body: this.user }));
  }

  private forcedOr(operation: FakeOAuth2Operation, answer: () => FakeResponse): FakeResponse {
    const forced = this.forced.get(operation)?.shift();
    if (!forced) return answer();
    return { status: forced.status, body: forced.body ?? { error: 'server_error' } };
  }
}

function tokenAnswer(issued: FakeIssued): FakeResponse {
  return {
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    },
  };
}

function invalidGrant(description: string): FakeResponse {
  return oauthError(400, 'invalid_grant', description);
}
