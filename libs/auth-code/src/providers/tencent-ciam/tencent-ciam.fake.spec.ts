import { createHash, randomBytes } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { FakeTencentCiam } from './tencent-ciam.fake';

const REDIRECT = 'https://app.example.com/cb';
const OTHER_REDIRECT = 'https://app.example.com/other-cb';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('FakeTencentCiam behaves like a Tencent Cloud CIAM tenant', () => {
  const fake = new FakeTencentCiam({
    redirectUris: [REDIRECT, OTHER_REDIRECT],
    users: [
      { sub: 'MOCK_USERNAME', name: 'Mock User', email: 'mock.user@example.com' },
      { sub: 'gone', name: 'Soon Deleted' },
    ],
  });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.loginAs = undefined;
    fake.requirePkce = false;
    fake.publicClients = true;
    fake.accessTokenTtlSeconds = 299;
    fake.jwksKeyName = 'Keys';
    fake.idTokenClaims = undefined;
  });

  function authorizeUrl(params: Record<string, string> = {}): string {
    const url = new URL(`${fake.url}/oauth2/authorize`);
    const all = {
      client_id: fake.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      ...params,
    };
    for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    return url.toString();
  }

  async function approve(params: Record<string, string> = {}): Promise<string> {
    return new URL(await fake.consent(authorizeUrl(params))).searchParams.get('code')!;
  }

  function postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { ...FORM, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  const secretForm = () => ({ client_id: fake.clientId, client_secret: fake.clientSecret });

  async function tokens(params: Record<string, string> = {}): Promise<Record<string, string>> {
    const code = await approve(params);
    const res = await postForm('/oauth2/token', {
      ...secretForm(),
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string>;
  }

  async function jwks(): Promise<Record<string, JWK[]>> {
    return (await (await fetch(`${fake.url}/oauth2/jwks`)).json()) as Record<string, JWK[]>;
  }

  async function verify(token: string) {
    const { kid } = decodeProtectedHeader(token);
    const key = Object.values(await jwks())[0].find((k) => k.kid === kid);
    if (!key) throw new Error(`kid ${kid} is not in the JWKS`);
    return (await jwtVerify(token, await importJWK(key, 'RS256'), { algorithms: ['RS256'] }))
      .payload;
  }

  describe('discovery', () => {
    it('lists exactly what Tencent lists: no userinfo, end_session, revocation or PKCE methods', async () => {
      const body = await (await fetch(`${fake.url}/.well-known/openid-configuration`)).json();
      expect(body).toEqual({
        issuer: fake.url,
        authorization_endpoint: `${fake.url}/oauth2/authorize`,
        token_endpoint: `${fake.url}/oauth2/token`,
        jwks_uri: `${fake.url}/oauth2/jwks`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    });

    it('uses a configured issuer in discovery and in the tokens', async () => {
      const other = new FakeTencentCiam({
        issuer: 'https://tenant.portal.tencentciam.com',
        redirectUris: [REDIRECT],
      });
      await other.start();
      try {
        const discovery = (await (
          await fetch(`${other.url}/.well-known/openid-configuration`)
        ).json()) as { issuer: string };
        expect(discovery.issuer).toBe('https://tenant.portal.tencentciam.com');
        const code = new URL(await other.consent(authorizeUrl())).searchParams.get('code')!;
        const res = await fetch(`${other.url}/oauth2/token`, {
          method: 'POST',
          headers: FORM,
          body: new URLSearchParams({
            client_id: other.clientId,
            client_secret: other.clientSecret,
            grant_type: 'authorization_code',
            code,
            redirect_uri: REDIRECT,
          }),
        });
        const { id_token } = (await res.json()) as { id_token: string };
        expect(JSON.parse(Buffer.from(id_token.split('.')[1], 'base64url').toString()).iss).toBe(
          'https://tenant.portal.tencentciam.com',
        );
      } finally {
        await other.stop();
      }
    });
  });

  describe('authorize and consent', () => {
    it.each([
      ['an unknown client_id', { client_id: 'nope' }],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/cb' }],
      ['a response_type other than code', { response_type: 'token' }],
    ])('answers %s with a bare 400 and no redirect', async (_name, params) => {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/plain');
    });

    it.each([
      [
        'a challenge method other than S256',
        { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' },
      ],
      ['a challenge without a method', { code_challenge: 'x'.repeat(43) }],
    ])('redirects %s with error=invalid_request and the state', async (_name, params) => {
      const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${REDIRECT}?error=invalid_request&state=st`);
    });

    it('with requirePkce, redirects a request without a challenge with invalid_request', async () => {
      fake.requirePkce = true;
      const res = await fetch(authorizeUrl(), { redirect: 'manual' });
      expect(res.headers.get('location')).toBe(`${REDIRECT}?error=invalid_request&state=st`);
    });

    it('serves a consent page carrying the authorize parameters', async () => {
      const res = await fetch(authorizeUrl({ nonce: 'n-1', auth_source_id: 'src' }));
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('Tencent Cloud CIAM');
      expect(html).toContain('name="nonce" value="n-1"');
      expect(html).toContain('name="auth_source_id" value="src"');
      expect(html).toContain('id="deny"');
    });

    it('redirects a denial with error=access_denied and the state', async () => {
      expect(await fake.consent(authorizeUrl(), 'deny')).toBe(
        `${REDIRECT}?error=access_denied&state=st`,
      );
    });
  });

  describe('token endpoint', () => {
    it('answers an unknown grant_type exactly like the seed document', async () => {
      const res = await postForm('/oauth2/token', { ...secretForm(), grant_type: 'password' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(await res.text()).toBe(
        '{"error":"unsupported_grant_type","error_description":"OAuth 2.0 Parameter: grant_type","error_uri":"https://datatracker.ietf.org/doc/html/rfc6749#section-5.2"}',
      );
    });

    it('binds the code to its redirect_uri', async () => {
      const code = await approve({ redirect_uri: OTHER_REDIRECT });
      const res = await postForm('/oauth2/token', {
        ...secretForm(),
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_grant' });
    });

    it('refuses a secret sent both in Basic auth and in the form', async () => {
      const code = await approve();
      const basic = `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`;
      const res = await postForm(
        '/oauth2/token',
        { ...secretForm(), grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
        { authorization: basic },
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_request' });
    });

    it('requires the code_verifier of a PKCE code from a confidential client too', async () => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const code = await approve({ code_challenge: challenge, code_challenge_method: 'S256' });
      const form = {
        ...secretForm(),
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      };
      expect((await postForm('/oauth2/token', form)).status).toBe(400);
      expect((await postForm('/oauth2/token', { ...form, code_verifier: verifier })).status).toBe(
        200,
      );
    });

    it('refuses PKCE requests without a secret when public clients are off', async () => {
      fake.publicClients = false;
      const res = await postForm('/oauth2/token', {
        client_id: fake.clientId,
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: REDIRECT,
        code_verifier: 'v',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client' });
    });

    it('issues a bare access token for client_credentials', async () => {
      const res = await postForm('/oauth2/token', {
        ...secretForm(),
        grant_type: 'client_credentials',
      });
      expect(Object.keys(await res.json()).sort()).toEqual([
        'access_token',
        'expires_in',
        'scope',
        'token_type',
      ]);
    });
  });

  describe('tokens and keys', () => {
    it('signs RS256 tokens with the JWKS key listed under "Keys", with the seed claims and lifetimes', async () => {
      const keys = await jwks();
      expect(Object.keys(keys)).toEqual(['Keys']);
      const body = await tokens({ nonce: 'n-42' });
      expect(body.expires_in).toBe(299);
      const id = await verify(body.id_token);
      expect(id).toMatchObject({
        iss: fake.url,
        aud: fake.clientId,
        azp: fake.clientId,
        sub: 'MOCK_USERNAME',
        nonce: 'n-42',
      });
      expect(id.exp! - id.iat!).toBe(1800);
      const access = await verify(body.access_token);
      expect(access).toMatchObject({
        iss: fake.url,
        aud: fake.clientId,
        sub: 'MOCK_USERNAME',
        scope: ['openid'],
      });
      expect(access.exp! - access.iat!).toBe(300);
      expect(decodeProtectedHeader(body.id_token)).toEqual({
        kid: keys.Keys[0].kid,
        typ: 'JWT',
        alg: 'RS256',
      });
    });

    it('lists the keys under "keys" when told to', async () => {
      fake.jwksKeyName = 'keys';
      expect(Object.keys(await jwks())).toEqual(['keys']);
    });

    it('rotates the signing key: a new kid signs, the old one leaves the JWKS', async () => {
      const before = await tokens();
      const oldKid = decodeProtectedHeader(before.id_token).kid;
      const newKid = await fake.rotateSigningKey();
      expect(newKid).not.toBe(oldKid);
      expect((await jwks()).Keys.map((k) => k.kid)).toEqual([newKid]);
      const after = await tokens();
      expect(decodeProtectedHeader(after.id_token).kid).toBe(newKid);
      await expect(verify(before.id_token)).rejects.toThrow(/not in the JWKS/);
    });

    it('lets a test rewrite id_token claims', async () => {
      fake.idTokenClaims = (c) => ({ ...c, aud: 'someone-else', nonce: 'forged' });
      const id = await verify((await tokens({ nonce: 'n-1' })).id_token);
      expect(id).toMatchObject({ aud: 'someone-else', nonce: 'forged' });
    });

    it('issues refresh id_tokens without a nonce', async () => {
      const first = await tokens({ nonce: 'n-1' });
      const res = await postForm('/oauth2/token', {
        ...secretForm(),
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
      });
      const body = (await res.json()) as Record<string, string>;
      expect(body.refresh_token).toBe(first.refresh_token);
      expect((await verify(body.id_token)).nonce).toBeUndefined();
    });
  });

  describe('userinfo, revocation, logout', () => {
    const userinfo = (token?: string) =>
      fetch(`${fake.url}/userinfo`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('returns sub and the claims for a live token', async () => {
      const res = await userinfo((await tokens()).access_token);
      expect(await res.json()).toEqual({
        sub: 'MOCK_USERNAME',
        name: 'Mock User',
        email: 'mock.user@example.com',
      });
    });

    it('answers a missing token with 401 and a bare Bearer challenge', async () => {
      const res = await userinfo();
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('answers an expired token with 401 error="invalid_token"', async () => {
      fake.accessTokenTtlSeconds = 0;
      const res = await userinfo((await tokens()).access_token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(await res.text()).toBe('');
    });

    it('answers 404 user_not_found for a deleted user', async () => {
      fake.loginAs = 'gone';
      const { access_token } = await tokens();
      fake.users.delete('gone');
      const res = await userinfo(access_token);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'user_not_found' });
    });

    it('revoking an access token kills only that token; the refresh token still works', async () => {
      const body = await tokens();
      const res = await postForm('/oauth2/revoke', { ...secretForm(), token: body.access_token });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect((await userinfo(body.access_token)).status).toBe(401);
      const refreshed = await postForm('/oauth2/token', {
        ...secretForm(),
        grant_type: 'refresh_token',
        refresh_token: body.refresh_token,
      });
      expect(refreshed.status).toBe(200);
    });

    it('refuses revocation with a wrong secret', async () => {
      const res = await postForm('/oauth2/revoke', {
        client_id: fake.clientId,
        client_secret: 'nope',
        token: 't',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client' });
    });

    it('forced errors replace only the next call of their route', async () => {
      fake.forceError('userinfo', { status: 503 });
      const { access_token } = await tokens();
      expect((await userinfo(access_token)).status).toBe(503);
      expect((await userinfo(access_token)).status).toBe(200);
    });

    it.each([
      [
        'an unknown client_id',
        { client_id: 'nope', logout_redirect_uri: 'https://app.example.com/bye' },
      ],
      [
        'a foreign logout_redirect_uri',
        { client_id: 'TENANT_CLIENT_ID', logout_redirect_uri: 'https://evil.example/' },
      ],
    ])('refuses a logout with %s', async (_name, params) => {
      const res = await fetch(`${fake.url}/logout?${new URLSearchParams(params)}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('refuses what a Tencent Cloud CIAM tenant refuses', () => {
    const pkcePair = () => {
      const verifier = randomBytes(32).toString('base64url');
      return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
    };

    it('answers a repeated redirect_uri with a bare 400 and a repeated state with an error redirect', async () => {
      const twice = `${authorizeUrl()}&redirect_uri=${encodeURIComponent(OTHER_REDIRECT)}`;
      const bare = await fetch(twice, { redirect: 'manual' });
      expect([bare.status, bare.headers.get('location')]).toEqual([400, null]);
      const state = await fetch(`${authorizeUrl()}&state=again`, { redirect: 'manual' });
      expect(state.status).toBe(302);
      expect(new URL(state.headers.get('location')!).searchParams.get('error')).toBe(
        'invalid_request',
      );
    });

    it('issues no id_token when scope has no openid (a plain OAuth 2.0 request)', async () => {
      const body = await tokens({ scope: 'email' });
      expect(body.id_token).toBeUndefined();
      expect(body.scope).toBe('email');
      const withOpenid = await tokens();
      expect(withOpenid.id_token).toEqual(expect.any(String));
    });

    it('answers a JSON body and a repeated parameter with 400 invalid_request', async () => {
      const code = await approve();
      const json = await fetch(`${fake.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...secretForm(),
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
        }),
      });
      expect([json.status, await json.json()]).toEqual([400, { error: 'invalid_request' }]);
      const form = new URLSearchParams({
        ...secretForm(),
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      });
      form.append('code', 'another');
      const repeated = await fetch(`${fake.url}/oauth2/token`, {
        method: 'POST',
        headers: FORM,
        body: form.toString(),
      });
      expect([repeated.status, await repeated.json()]).toEqual([400, { error: 'invalid_request' }]);
    });

    it('answers a wrong secret 401 invalid_client and an unknown refresh token 400 invalid_grant', async () => {
      const code = await approve();
      const wrong = await postForm('/oauth2/token', {
        client_id: fake.clientId,
        client_secret: 'nope',
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      });
      expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'invalid_client' }]);
      const refresh = await postForm('/oauth2/token', {
        ...secretForm(),
        grant_type: 'refresh_token',
        refresh_token: 'never-issued',
      });
      expect([refresh.status, await refresh.json()]).toEqual([400, { error: 'invalid_grant' }]);
    });

    it('in PKCE mode: a missing client_id is 400 invalid_request, a bad verifier 401 invalid_client, a bad grant_type a bare 401', async () => {
      const { challenge } = pkcePair();
      const code = await approve({ code_challenge: challenge, code_challenge_method: 'S256' });
      const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
      const noClient = await postForm('/oauth2/token', { ...base, code_verifier: 'v'.repeat(43) });
      expect([noClient.status, await noClient.json()]).toEqual([400, { error: 'invalid_request' }]);
      const badVerifier = await postForm('/oauth2/token', {
        ...base,
        client_id: fake.clientId,
        code_verifier: pkcePair().verifier,
      });
      expect([badVerifier.status, await badVerifier.json()]).toEqual([
        401,
        { error: 'invalid_client' },
      ]);
      const badGrant = await postForm('/oauth2/token', {
        ...base,
        client_id: fake.clientId,
        grant_type: 'password',
      });
      expect([badGrant.status, await badGrant.text()]).toEqual([401, '']);
    });

    it('answers userinfo with a malformed header 400 and a token without openid 403', async () => {
      const malformed = await fetch(`${fake.url}/userinfo`, {
        headers: { authorization: 'Bearer two words' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
      const { access_token } = await tokens({ scope: 'email' });
      const res = await fetch(`${fake.url}/userinfo`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    });
  });
});
