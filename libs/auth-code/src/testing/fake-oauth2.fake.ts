import { createHash } from 'node:crypto';
import { renderConsentPage } from './consent-page';
import { FakeGrantBook, type FakeIssued } from './fake-oauth2.grants';
import { FakeServer, type FakeResponse, type FakeRoute, type RecordedRequest } from './fake-server';

/** Options of {@link FakeOAuth2}. */
export interface FakeOAuth2Options {
  /** @default 'fake-client' */
  clientId?: string;
  /** @default 'fake-secret' */
  clientSecret?: string;
  /** Issue a new refresh token on every refresh (and detect reuse of old ones). @default true */
  rotateRefreshTokens?: boolean;
}

/** A forced answer of an operation, see {@link FakeOAuth2.forceError}. */
export interface FakeForcedAnswer {
  /** HTTP status. */
  status: number;
  /** Body (object → JSON). @default { error: 'server_error' } */
  body?: unknown;
}

/** Operations a forced answer can target. */
export type FakeOAuth2Operation = 'exchange' | 'refresh' | 'revoke' | 'userinfo';

type Form = Record<string, string | undefined>;

/**
 * A plain RFC 6749 authorization server on loopback: consent, `POST /token` (authorization_code
 * with optional PKCE S256, refresh_token with rotation and reuse detection), `POST /revoke`
 * (RFC 7009), `GET /userinfo`. Client authentication: HTTP Basic or form parameters.
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
  readonly clientId: string;
  readonly clientSecret: string;
  private readonly forced = new Map<FakeOAuth2Operation, FakeForcedAnswer[]>();

  constructor(options: FakeOAuth2Options = {}) {
    super();
    this.clientId = options.clientId ?? 'fake-client';
    this.clientSecret = options.clientSecret ?? 'fake-secret';
    this.rotateRefreshTokens = options.rotateRefreshTokens ?? true;
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

  private authorize(req: RecordedRequest): FakeResponse {
    const params = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)]));
    return { body: renderConsentPage({ provider: 'Fake OAuth 2.0 server', params }) };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const q = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    const redirectUri = q('redirect_uri') ?? '';
    const target = new URL(redirectUri);
    if (q('decision') === 'approve') {
      const code = this.grants.issueCode({
        clientId: q('client_id') ?? '',
        redirectUri,
        codeChallenge: q('code_challenge'),
        sub: this.user.sub,
      });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    target.searchParams.set('state', q('state') ?? '');
    return { status: 302, headers: { location: target.toString() } };
  }

  private token(req: RecordedRequest): FakeResponse {
    const form = (req.body ?? {}) as Form;
    if (!this.authenticated(req, form)) return { status: 401, body: { error: 'invalid_client' } };
    if (form.grant_type === 'authorization_code')
      return this.forcedOr('exchange', () => this.exchange(form));
    if (form.grant_type === 'refresh_token')
      return this.forcedOr('refresh', () => this.refresh(form));
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }

  private exchange(form: Form): FakeResponse {
    const code = this.grants.takeCode(form.code ?? '');
    if (!code || code.clientId !== this.clientId || code.redirectUri !== form.redirect_uri) {
      return invalidGrant(
        'The authorization code is invalid, used, or was issued to another client',
      );
    }
    if (code.codeChallenge && s256(form.code_verifier ?? '') !== code.codeChallenge) {
      return invalidGrant('PKCE verification failed');
    }
    return tokenAnswer(this.grants.startFamily(code.sub, this.lifetimeSeconds));
  }

  private refresh(form: Form): FakeResponse {
    const outcome = this.grants.refresh(
      form.refresh_token ?? '',
      this.lifetimeSeconds,
      this.rotateRefreshTokens,
    );
    if ('error' in outcome) return invalidGrant(`The refresh token is ${outcome.error}`);
    return tokenAnswer(outcome.issued);
  }

  private revoke(req: RecordedRequest): FakeResponse {
    const form = (req.body ?? {}) as Form;
    if (!this.authenticated(req, form)) return { status: 401, body: { error: 'invalid_client' } };
    return this.forcedOr('revoke', () => {
      this.grants.revoke(form.token ?? '');
      return { status: 200 };
    });
  }

  private userinfo(req: RecordedRequest): FakeResponse {
    return this.forcedOr('userinfo', () => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const sub = this.grants.userOf(bearer);
      if (sub !== this.user.sub) {
        return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
      }
      return { body: this.user };
    });
  }

  private forcedOr(operation: FakeOAuth2Operation, answer: () => FakeResponse): FakeResponse {
    const forced = this.forced.get(operation)?.shift();
    if (!forced) return answer();
    return { status: forced.status, body: forced.body ?? { error: 'server_error' } };
  }

  private authenticated(req: RecordedRequest, form: Form): boolean {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, 'base64')
        .toString()
        .split(':')
        .map(decodeURIComponent);
      return id === this.clientId && secret === this.clientSecret;
    }
    return form.client_id === this.clientId && form.client_secret === this.clientSecret;
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
  return { status: 400, body: { error: 'invalid_grant', error_description: description } };
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
