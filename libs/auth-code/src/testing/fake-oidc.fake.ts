import { renderConsentPage } from './server/consent-page';
import { checkAuthorizeRequest, type FakeAuthorizeOutcome } from './server/fake-authorize.check';
import { checkBearer, insufficientScope } from './server/fake-bearer.check';
import { FakeGrantBook, type FakeIssued } from './fake-oauth2.grants';
import type { FakeOidcKnobs, FakeOidcOptions } from './fake-oidc.options';
import { newFakeOidcKey, signFakeIdToken, type FakeOidcKey } from './fake-oidc.signing';
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

export type { FakeOidcKnobs, FakeOidcOptions } from './fake-oidc.options';
export type { FakeOidcSigning } from './fake-oidc.signing';

const REALM = 'fake-oidc';
const ACCESS_TOKEN_SECONDS = 300;
const hasOpenid = (scope: string) => scope.split(' ').includes('openid');

/**
 * A small, strict OpenID Provider for negative tests (modelled on the OpenID Foundation's Basic RP
 * test plan): discovery, JWKS, authorize + consent, token (code and refresh), userinfo, revocation.
 * It signs deliberately bad id_tokens on demand through {@link FakeOidc.knobs}, and refuses what a
 * conformant OP refuses: the RFC 6749 faults of `FakeOAuth2` (client authentication, form bodies,
 * repeated parameters, `redirect_uri` match, PKCE, used codes and refresh tokens), no id_token
 * without `scope=openid` (OIDC Core 3.1.2.1), userinfo only with a live `openid` token (5.3).
 */
export class FakeOidc extends FakeServer {
  /** Misbehaviour of the next answers. */
  knobs: FakeOidcKnobs = {};
  /** The user every consent logs in. */
  user = { sub: 'alice', name: 'Alice Example', email: 'alice@example.test' };
  /** Published keys; the last one signs. */
  readonly keys: FakeOidcKey[] = [newFakeOidcKey()];
  /** The registered client id. */
  readonly clientId: string;
  /** The registered client secret; undefined for a public client. */
  readonly clientSecret?: string;
  /** Registered redirect URIs (add or remove between calls). */
  redirectUris: string[];
  /** Refuse authorize requests without an S256 `code_challenge`. */
  requirePkce: boolean;
  /** Refreshes rotate the refresh token. */
  rotateRefreshTokens: boolean;
  /** Codes, token families and refresh tokens. */
  readonly grants = new FakeGrantBook();
  private readonly foreign = newFakeOidcKey();

  /** `options` may be just the client id (`new FakeOidc('rp-client')`). */
  constructor(options: FakeOidcOptions | string = {}) {
    super();
    const o = typeof options === 'string' ? { clientId: options } : options;
    this.clientId = o.clientId ?? 'rp-client';
    this.clientSecret = o.clientSecret === null ? undefined : (o.clientSecret ?? 'rp-secret');
    this.redirectUris = o.redirectUris ?? ['http://localhost:3000/auth/oidc/callback'];
    this.requirePkce = o.requirePkce ?? false;
    this.rotateRefreshTokens = o.rotateRefreshTokens ?? true;
  }

  /** The client as this OP has it registered. */
  get registration(): FakeClientRegistration {
    const { clientId, clientSecret, redirectUris } = this;
    return { clientId, clientSecret, redirectUris };
  }

  /** Publishes another key without signing with it (the JWKS then has several keys). */
  addKey(): void {
    this.keys.unshift(newFakeOidcKey());
  }

  /** Replaces the signing key with a new one (new `kid`); the old key leaves the JWKS. */
  rotateKey(): void {
    this.keys.splice(0, this.keys.length, newFakeOidcKey());
  }

  /** Signs an id_token for the user as the knobs say. */
  idToken(extra: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: this.url,
      sub: this.user.sub,
      aud: this.clientId,
      iat: now,
      exp: now + 600,
    };
    const claims = { ...base, ...extra };
    const signed = this.knobs.claims ? this.knobs.claims(claims) : claims;
    return signFakeIdToken(signed, this.keys[this.keys.length - 1], this.foreign, this.knobs);
  }

  /** Forgets requests, faults and knobs; keys added with {@link FakeOidc.addKey} leave the JWKS. */
  override reset(): void {
    super.reset();
    this.knobs = {};
    this.keys.splice(0, this.keys.length - 1);
  }

  protected routes(): FakeRoute[] {
    const route = (name: string, method: 'GET' | 'POST', path: string, h: FakeRoute['handle']) =>
      ({ name, method, path, handle: h }) satisfies FakeRoute;
    return [
      route('discovery', 'GET', '/.well-known/openid-configuration', () => ({
        body: this.discovery(),
      })),
      route('jwks', 'GET', '/jwks', () => ({ body: this.jwks() })),
      route('authorize', 'GET', '/authorize', (r) => this.authorize(r)),
      route('consent', 'GET', '/consent', (r) => this.consentRoute(r)),
      route('token', 'POST', '/token', (r) => this.token(r)),
      route('userinfo', 'GET', '/userinfo', (r) => this.userinfo(r)),
      route('revoke', 'POST', '/revoke', (r) => this.revoke(r)),
    ];
  }

  private discovery(): Record<string, unknown> {
    const doc = {
      issuer: this.knobs.discoveryIssuer ?? this.url,
      authorization_endpoint: `${this.url}/authorize`,
      token_endpoint: `${this.url}/token`,
      userinfo_endpoint: `${this.url}/userinfo`,
      jwks_uri: `${this.url}/jwks`,
      revocation_endpoint: `${this.url}/revoke`,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: this.clientSecret
        ? ['client_secret_basic', 'client_secret_post']
        : ['none'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: true,
    };
    return this.knobs.discovery ? this.knobs.discovery(doc) : doc;
  }

  private jwks(): Record<string, unknown> {
    const keys = this.keys.map((k) => ({
      ...k.publicKey.export({ format: 'jwk' }),
      kid: k.kid,
      use: 'sig',
      alg: 'RS256',
    }));
    return { [this.knobs.jwksKeyName ?? 'keys']: keys };
  }

  private checkAuthorize(params: FakeParams): FakeAuthorizeOutcome {
    const rules = { requirePkce: this.requirePkce, iss: this.url };
    return checkAuthorizeRequest(params, this.registration, rules);
  }

  private authorize(req: RecordedRequest): FakeResponse {
    const checked = this.checkAuthorize(queryParams(req));
    if ('response' in checked) return checked.response;
    return {
      body: renderConsentPage({ provider: 'Fake OpenID Provider', params: checked.params }),
    };
  }

  private consentRoute(req: RecordedRequest): FakeResponse {
    const { params, decision } = consentParams(req);
    const checked = this.checkAuthorize(params);
    if ('response' in checked) return checked.response;
    const q = checked.params;
    const back = (p: Record<string, string>) =>
      redirectTo(q.redirect_uri, { ...p, state: q.state, iss: this.url });
    if (decision !== 'approve') return back({ error: 'access_denied' });
    const code = this.grants.issueCode({
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      codeChallenge: q.code_challenge,
      sub: this.user.sub,
      scope: q.scope ?? '',
      nonce: q.nonce,
    });
    return back({ code });
  }

  private token(req: RecordedRequest): FakeResponse {
    const read = readTokenRequest(req, this.registration, REALM);
    if (isRefusal(read)) return read;
    const { form, clientId } = read;
    if (form.grant_type === 'authorization_code') return this.exchange(form, clientId);
    if (form.grant_type === 'refresh_token') return this.refresh(form);
    if (form.grant_type === undefined) return oauthError(400, 'invalid_request', 'no grant_type');
    return oauthError(400, 'unsupported_grant_type', `grant_type ${form.grant_type}`);
  }

  private exchange(form: Record<string, string>, clientId: string): FakeResponse {
    if (!form.code) return oauthError(400, 'invalid_request', 'code is missing');
    const code = this.grants.takeCode(form.code);
    if (!code) return oauthError(400, 'invalid_grant', 'The code is invalid, expired or used');
    const mismatch = codeMismatch(code, form, clientId);
    if (mismatch) return oauthError(400, 'invalid_grant', mismatch);
    const scope = code.scope ?? '';
    const issued = this.grants.startFamily(code.sub, ACCESS_TOKEN_SECONDS, scope, form.code);
    const nonce = code.nonce === undefined ? {} : { nonce: code.nonce };
    return tokenAnswer(issued, scope, hasOpenid(scope) ? this.idToken(nonce) : undefined);
  }

  private refresh(form: Record<string, string>): FakeResponse {
    if (!form.refresh_token) return oauthError(400, 'invalid_request', 'no refresh_token');
    const outcome = this.grants.refresh(
      form.refresh_token,
      ACCESS_TOKEN_SECONDS,
      this.rotateRefreshTokens,
    );
    if ('error' in outcome) {
      return oauthError(400, 'invalid_grant', `The refresh token is ${outcome.error}`);
    }
    const withIdToken = hasOpenid(outcome.scope) && !this.knobs.noIdTokenOnRefresh;
    return tokenAnswer(outcome.issued, outcome.scope, withIdToken ? this.idToken() : undefined);
  }

  private userinfo(req: RecordedRequest): FakeResponse {
    const checked = checkBearer(req, REALM, (token) => {
      const grant = this.grants.grantOf(token);
      if (!grant) return false;
      return hasOpenid(grant.scope) || insufficientScope(REALM, 'openid');
    });
    if ('response' in checked) return checked.response;
    return { body: { ...this.user, sub: this.knobs.userinfoSub ?? this.user.sub } };
  }

  private revoke(req: RecordedRequest): FakeResponse {
    const read = readTokenRequest(req, this.registration, REALM);
    if (isRefusal(read)) return read;
    if (!read.form.token) return oauthError(400, 'invalid_request', 'token is missing');
    this.grants.revoke(read.form.token);
    return { status: 200 };
  }
}

function tokenAnswer(issued: FakeIssued, scope: string, idToken?: string): FakeResponse {
  return {
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    body: {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope,
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    },
  };
}
