import { createHash, randomBytes } from 'node:crypto';
import { renderConsentPage } from '../../testing/server/consent-page';
import { jsonObject } from '../../testing/server/fake-request';
import { FakeServer, type FakeResponse, type FakeRoute } from '../../testing/server/fake-server';

const refused = (code: number, msg: string): FakeResponse => ({ body: { code, msg, data: null } });

/** A fake Acme Grid: consent page, and a JSON token endpoint answering in `{ code, msg, data }`. */
export class FakeAcme extends FakeServer {
  readonly clientId = 'acme-client';
  readonly clientSecret = 'acme-secret';
  readonly user = { id: 'grid-42', name: 'Ada Grid' };
  private readonly codes = new Map<string, string>(); // code → PKCE challenge
  private readonly refreshTokens = new Set<string>();

  constructor(readonly redirectUri: string) {
    super();
  }

  /** Points `forRoot()` at this fake. */
  environment(): Record<string, string> {
    return {
      ACME_CLIENT_ID: this.clientId,
      ACME_CLIENT_SECRET: this.clientSecret,
      ACME_URL: this.url,
    };
  }

  protected routes(): FakeRoute[] {
    return [
      {
        name: 'authorize',
        method: 'GET',
        path: '/authorize',
        handle: (r) => this.authorize(r.query),
      },
      { name: 'consent', method: 'GET', path: '/consent', handle: (r) => this.consentTo(r.query) },
      { name: 'token', method: 'POST', path: '/oauth/token', handle: (r) => this.token(r) },
    ];
  }

  private authorize(q: Record<string, string | string[]>): FakeResponse {
    if (q.client_id !== this.clientId || q.redirect_uri !== this.redirectUri)
      return { status: 400, body: 'unknown client or redirect_uri' };
    return {
      body: renderConsentPage({ provider: 'Acme Grid', params: q as Record<string, string> }),
    };
  }

  private consentTo(q: Record<string, string | string[]>): FakeResponse {
    const code = randomBytes(8).toString('hex');
    this.codes.set(code, String(q.code_challenge));
    const back = new URL(this.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', String(q.state));
    return { status: 302, headers: { location: back.toString() } };
  }

  private token(req: Parameters<FakeRoute['handle']>[0]): FakeResponse {
    const body = jsonObject(req);
    if (!body) return refused(40000, 'JSON body required');
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret)
      return refused(40100, 'bad client');
    if (body.grant_type === 'refresh_token') {
      if (!this.refreshTokens.delete(String(body.refresh_token))) return refused(40001, 'dead');
      return this.issue();
    }
    const challenge = this.codes.get(String(body.code));
    this.codes.delete(String(body.code));
    const verifier = String(body.code_verifier ?? '');
    const s256 = createHash('sha256').update(verifier).digest('base64url');
    if (!challenge || challenge !== s256 || body.redirect_uri !== this.redirectUri)
      return refused(40001, 'invalid code');
    return this.issue();
  }

  private issue(): FakeResponse {
    const refresh = randomBytes(16).toString('hex');
    this.refreshTokens.add(refresh);
    const data = {
      access_token: randomBytes(16).toString('hex'),
      refresh_token: refresh,
      expires_in: 3600,
      user: this.user,
    };
    return { body: { code: 0, msg: 'ok', data } };
  }
}
