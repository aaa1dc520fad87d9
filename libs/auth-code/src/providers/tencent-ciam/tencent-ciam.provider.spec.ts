import { createHash } from 'node:crypto';
import type { ProviderDefinition } from '../../core/provider-definition';
import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { readTokenResponse } from '../../engine/token-response.reader';
import {
  AuthCodeError,
  ConfigurationError,
  ProviderRejectedError,
  TransportError,
  UnexpectedResponseError,
} from '../../errors/auth-code.errors';
import type { FakeFault } from '../../testing/server/fake-server';
import { rejectionOf } from '../../../../../test/support/rejection';
import { FakeTencentCiam } from './tencent-ciam.fake';
import {
  tencentCiam,
  tencentCiamJwksUrl,
  tencentCiamLogoutUrl,
  type TencentCiamOptions,
} from './tencent-ciam.provider';

const REDIRECT = 'https://app.example.com/auth/tencent-ciam/callback';
// Characters that RFC 6749 2.3.1 form-encodes before Basic auth.
const SECRET = 'TENANT_CLIENT_SECRET:+/ 1';

/** The success example of seeds/tencent-ciam-token.txt, verbatim. */
const SEED_SUCCESS = `{"access_token" : "eyJraWQiOiJkNDliYzUwNS01NTcyLTRlZDYtOWU0OC0zODhjM2Q0NGJiNDYiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJNT0NLX1VTRVJOQU1FIiwiYXVkIjoiVEVOQU5UX0NMSUVOVF9JRCIsIm5iZiI6MTYzNjQ0OTIzMiwic2NvcGUiOlsib3BlbmlkIl0sImlzcyI6Imh0dHBzOlwvXC9URU5BTlQuUE9SVEFMLkRPTUFJTiIsImV4cCI6MTYzNjQ0OTUzMiwiaWF0IjoxNjM2NDQ5MjMyLCJqdGkiOiJmYmM0NWQ3NS1lYmRjLTQzNjUtOWU0MS01YWM1OTg5ZDdhZTIifQ.SnBaXHhZ0jz3sbo-FPcO91YJn2LqOAuBxWTFRdIzl-PChdh4oXdaxmlWlcaLPU-niBo9TqAAmeocnomkTgt6TS2hp5IOjX8FihshlgVdagQNYM6__Zr5NHw9DH2zEps0AGA_7pyGg9trbcRBkjb2xRLyJpQ5lPkpGiNKA18SfCcsBBoy9E69wrZCZaKo3Y6iHO9v5qxlOTchajR5FI5VDZlxDLX9H3njf3C-KG5NlB7VQZBa0O4TZJm6od_sh8eCmCa5TKF7s5Zhw7JU83JfEh76WKT3rD5uEb4SbFhBGP3hL7Xsj3SJMP7nA4LlQAlINWyFzntAIuJ1VryH3JmQCg","refresh_token" : "Ugvo1lO7Se8vvIPrIOwn_eBe0hoi5-5ynR3H-aFYl0e1Gej-SfUAaBDBXkWmojm_Q7utcpwz_swzLZwGGz_I5wHAkB6iaepCX3LvqZGvt5hmMXDCt3wZY3SnhridZC85","scope" : "openid","id_token" : "eyJraWQiOiJkNDliYzUwNS01NTcyLTRlZDYtOWU0OC0zODhjM2Q0NGJiNDYiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJNT0NLX1VTRVJOQU1FIiwiYXVkIjoiVEVOQU5UX0NMSUVOVF9JRCIsImF6cCI6IlRFTkFOVF9DTElFTlRfSUQiLCJpc3MiOiJodHRwczpcL1wvVEVOQU5ULlBPUlRBTC5ET01BSU4iLCJleHAiOjE2MzY0NTEwMzIsImlhdCI6MTYzNjQ0OTIzMiwianRpIjoiMDBlOWQxMjYtYmJkYi00ZjgzLWI4NTYtNTAyYjI0OWJmNjVmIn0.enLzJ-pJlnKpFCBR0gQc7bJH2GA1q_PpqWNjxJuTE1rWuQzvH9Y0oNNi-Wc1vUQ1u0hPSAC7in4E8vUpWDuDFyXrKWvwNxxj5uyLfFrAc2hnrju0ZUOT58lOqYd0Y48hA6THuxm9aA_EuOHvR3SxIS0cj_O5xJCwvhSqGUldRXGVgB4yMXXvZWkxWm5Q3B_hJc8aZtLpmo76-AKTz2OQouZ5bDE3WD89THuKN4mVxygyyIGTgpuIeyP1x14aTgvNKp2N-HGRoUwCzks_fLMcxmH5vqkI5alMi-XDfG8LWWhObM9j54oShSTpkok51B9VGTTOwbK4ZXeVRI48sCxWmg","token_type" : "Bearer","expires_in" : 299}`;

describe('tencentCiam provider against a fake tenant', () => {
  const fake = new FakeTencentCiam({
    clientSecret: SECRET,
    redirectUris: [REDIRECT],
    users: [
      { sub: 'MOCK_USERNAME', name: 'Mock User', email: 'mock.user@example.com' },
      { sub: 'u-nick', nickname: 'Nicky' },
    ],
  });
  const engine = new AuthCodeEngine({ timeoutMs: 3000 });
  const options = (o: Partial<TencentCiamOptions> = {}): TencentCiamOptions => ({
    issuer: fake.url,
    clientId: fake.clientId,
    clientSecret: SECRET,
    redirectUri: REDIRECT,
    ...o,
  });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.loginAs = undefined;
    fake.rotateRefreshTokens = false;
  });

  /** Opens the authorize page like a browser, approves, and returns what the callback carries. */
  async function login(def: ProviderDefinition) {
    const state = randomToken();
    const nonce = randomToken();
    const verifier = def.pkce ? createCodeVerifier() : undefined;
    const url = engine.authorizeUrl(def, {
      state,
      nonce,
      codeChallenge: verifier && s256Challenge(verifier),
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="approve"');
    const callback = new URL(await fake.consent(url));
    expect(callback.searchParams.get('state')).toBe(state);
    return { code: callback.searchParams.get('code')!, verifier, nonce };
  }

  async function loginAndExchange(def: ProviderDefinition) {
    const { code, verifier, nonce } = await login(def);
    return {
      code,
      verifier,
      result: await engine.exchangeCode(def, { code, codeVerifier: verifier, nonce }),
    };
  }

  const rejection = (p: Promise<unknown>) => rejectionOf(p, AuthCodeError);

  /** Nothing secret in what an error shows or logs. */
  function expectNoSecrets(err: AuthCodeError, secrets: Array<string | undefined>): void {
    const shown = [err.message, JSON.stringify(err.toJSON()), err.redactedBody ?? ''].join('\n');
    for (const s of secrets) if (s) expect(shown).not.toContain(s);
  }

  describe('configuration', () => {
    it('derives every endpoint from the issuer, with userinfo at /userinfo', () => {
      const def = tencentCiam(options({ issuer: `${fake.url}/` }));
      expect(def).toMatchObject({
        id: 'tencent-ciam',
        displayName: 'Tencent Cloud CIAM',
        issuer: fake.url,
        nonce: true,
        pkce: false,
        authorize: { url: `${fake.url}/oauth2/authorize`, scope: ['openid'] },
        token: {
          exchange: { url: `${fake.url}/oauth2/token`, clientAuth: 'client_secret_post' },
          refresh: { url: `${fake.url}/oauth2/token`, clientAuth: 'client_secret_post' },
        },
        userinfo: { url: `${fake.url}/userinfo`, method: 'GET' },
        revoke: { url: `${fake.url}/oauth2/revoke`, clientAuth: 'client_secret_post' },
      });
      // id_tokens are validated by default; only an explicit opt-out drops the hook
      expect(def.validateTokenResult).toBeInstanceOf(Function);
      expect(
        tencentCiam({ ...options(), verifyIdToken: false }).validateTokenResult,
      ).toBeUndefined();
      expect(tencentCiamJwksUrl(options())).toBe(`${fake.url}/oauth2/jwks`);
    });

    it('lets every endpoint be overridden', () => {
      const o = options({
        authorizeUrl: 'https://a.example/auth',
        tokenUrl: 'https://a.example/token',
        userinfoUrl: 'https://a.example/me',
        revokeUrl: 'https://a.example/revoke',
        jwksUrl: 'https://a.example/jwks',
      });
      const def = tencentCiam(o);
      expect([def.authorize.url, def.token.exchange.url, def.token.refresh?.url]).toEqual([
        'https://a.example/auth',
        'https://a.example/token',
        'https://a.example/token',
      ]);
      expect([def.userinfo?.url, def.revoke?.url, tencentCiamJwksUrl(o)]).toEqual([
        'https://a.example/me',
        'https://a.example/revoke',
        'https://a.example/jwks',
      ]);
    });

    it('refuses a confidential client without a secret, accepts a PKCE one', () => {
      let err: unknown;
      try {
        tencentCiam(options({ clientSecret: undefined }));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as ConfigurationError).code).toBe('invalid_config');
      expect((err as Error).message).toMatch(/clientSecret/);
      expect(() => tencentCiam(options({ clientSecret: undefined, pkce: true }))).not.toThrow();
    });
  });

  describe('authorize URL', () => {
    it('carries response_type=code, scope=openid, state, nonce, client_id and redirect_uri', async () => {
      const def = tencentCiam(options());
      const url = new URL(engine.authorizeUrl(def, { state: 'st-1', nonce: 'n-1' }));
      expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/oauth2/authorize`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: 'code',
        client_id: fake.clientId,
        redirect_uri: REDIRECT,
        scope: 'openid',
        nonce: 'n-1',
        state: 'st-1',
      });
      expect((await fetch(url)).status).toBe(200);
    });

    it('with pkce, carries code_challenge = base64url(sha256(verifier)) and method S256', async () => {
      const def = tencentCiam(options({ pkce: true, clientSecret: undefined }));
      const verifier = createCodeVerifier();
      const url = new URL(
        engine.authorizeUrl(def, {
          state: 's',
          nonce: 'n',
          codeChallenge: s256Challenge(verifier),
        }),
      );
      const expected = createHash('sha256').update(verifier).digest('base64url');
      expect(url.searchParams.get('code_challenge')).toBe(expected);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect((await fetch(url)).status).toBe(200);
    });

    it('adds auth_source_id and custom scopes when configured', () => {
      const def = tencentCiam(options({ authSourceId: 'src-42', scope: ['openid', 'phone'] }));
      const url = new URL(engine.authorizeUrl(def, { state: 's', nonce: 'n' }));
      expect(url.searchParams.get('auth_source_id')).toBe('src-42');
      expect(url.searchParams.get('scope')).toBe('openid phone');
    });

    it('adds authorizeParams (authSourceId wins) and refuses the ones the library sets', () => {
      const def = tencentCiam(
        options({
          authSourceId: 'src-42',
          authorizeParams: { auth_source_id: 'x', prompt: 'login' },
        }),
      );
      const url = new URL(engine.authorizeUrl(def, { state: 's', nonce: 'n' }));
      expect(url.searchParams.get('auth_source_id')).toBe('src-42');
      expect(url.searchParams.get('prompt')).toBe('login');
      expect(url.searchParams.get('state')).toBe('s');
      expect(() => tencentCiam(options({ authorizeParams: { nonce: 'fixed' } }))).toThrow(
        /tencent-ciam is misconfigured: the authorize parameter "nonce" is set by the library/,
      );
    });
  });

  describe('code exchange', () => {
    it('client_secret_post: sends id, secret, grant_type, code and redirect_uri as a form', async () => {
      const { code } = await loginAndExchange(tencentCiam(options()));
      const [req] = fake.requestsTo('token');
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/oauth2/token');
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.headers.authorization).toBeUndefined();
      expect(req.body).toEqual({
        client_id: fake.clientId,
        client_secret: SECRET,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      });
    });

    it('client_secret_basic: sends the form-encoded credentials in Basic auth only', async () => {
      const { code } = await loginAndExchange(
        tencentCiam(options({ authMethod: 'client_secret_basic' })),
      );
      const [req] = fake.requestsTo('token');
      const encoded = `${fake.clientId}:${encodeURIComponent(SECRET).replace(/%20/g, '+')}`;
      expect(req.headers.authorization).toBe(`Basic ${Buffer.from(encoded).toString('base64')}`);
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.body).toEqual({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    });

    it('PKCE public mode: sends client_id and code_verifier, no secret anywhere', async () => {
      const { code, verifier } = await loginAndExchange(
        tencentCiam(options({ pkce: true, clientSecret: undefined })),
      );
      const [req] = fake.requestsTo('token');
      expect(req.headers.authorization).toBeUndefined();
      expect(req.rawBody).not.toContain('client_secret');
      expect(req.body).toEqual({
        client_id: fake.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
    });

    it('returns the tokens in the seed shape, keeping the id_token, expiring in 299 s', async () => {
      const before = Date.now();
      const { result } = await loginAndExchange(tencentCiam(options()));
      const after = Date.now();
      const seedKeys = Object.keys(JSON.parse(SEED_SUCCESS) as object);
      expect(Object.keys(result.payload)).toEqual(seedKeys);
      const { tokenSet } = result;
      expect(tokenSet.accessToken.split('.')).toHaveLength(3);
      expect(tokenSet.idToken?.split('.')).toHaveLength(3);
      expect(tokenSet.refreshToken).toEqual(expect.any(String));
      expect(tokenSet).toMatchObject({ tokenType: 'Bearer', scope: 'openid' });
      expect(tokenSet.expiresAt).toBeGreaterThanOrEqual(before + 299_000);
      expect(tokenSet.expiresAt).toBeLessThanOrEqual(after + 299_000);
      // the id_token was verified against the fake's JWKS: its claims come back
      expect(result.claims).toMatchObject({
        sub: 'MOCK_USERNAME',
        aud: 'TENANT_CLIENT_ID',
        iss: fake.url,
      });
    });

    it("reads the seed document's success example", () => {
      const def = tencentCiam(options());
      const res = {
        status: 200,
        contentType: 'application/json;charset=utf-8',
        wwwAuthenticate: '',
        text: SEED_SUCCESS,
      };
      const { tokenSet } = readTokenResponse(def, res, 'exchange', 1_000_000);
      const seed = JSON.parse(SEED_SUCCESS) as Record<string, string>;
      expect(tokenSet).toEqual({
        accessToken: seed.access_token,
        refreshToken: seed.refresh_token,
        idToken: seed.id_token,
        tokenType: 'Bearer',
        scope: 'openid',
        expiresAt: 1_000_000 + 299_000,
      });
    });
  });

  describe('documented errors', () => {
    it('wrong client secret → 401 invalid_client', async () => {
      const { code } = await login(tencentCiam(options()));
      const def = tencentCiam(options({ clientSecret: 'wrong-secret-value' }));
      const err = await rejection(engine.exchangeCode(def, { code }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'invalid_client',
        providerCode: 'invalid_client',
        upstreamStatus: 401,
        status: 401,
      });
      expect(err.providerMessage).toBeUndefined();
      expectNoSecrets(err, [code, 'wrong-secret-value']);
    });

    it('unknown grant_type → 400 unsupported_grant_type with the description', async () => {
      const base = tencentCiam(options());
      const { code } = await login(base);
      const def = {
        ...base,
        token: {
          ...base.token,
          exchange: { ...base.token.exchange, extraParams: { grant_type: 'password' } },
        },
      };
      const err = await rejection(engine.exchangeCode(def, { code }));
      expect(fake.requestsTo('token')[0].body?.grant_type).toBe('password');
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'unsupported_grant_type',
        providerCode: 'unsupported_grant_type',
        providerMessage: 'OAuth 2.0 Parameter: grant_type',
        upstreamStatus: 400,
        status: 400,
      });
      expectNoSecrets(err, [code, SECRET]);
    });

    it.each([
      ['an unknown code', () => Promise.resolve('not-a-real-code-123')],
      ['a replayed code', async () => (await loginAndExchange(tencentCiam(options()))).code],
    ])('%s → 400 invalid_grant', async (_name, getCode) => {
      const code = await getCode();
      const err = await rejection(engine.exchangeCode(tencentCiam(options()), { code }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'invalid_grant',
        providerCode: 'invalid_grant',
        upstreamStatus: 400,
        status: 400,
      });
      expectNoSecrets(err, [code, SECRET]);
    });

    it('PKCE mode: a wrong code_verifier → 401 invalid_client', async () => {
      const def = tencentCiam(options({ pkce: true, clientSecret: undefined }));
      const { code, verifier } = await login(def);
      const wrong = createCodeVerifier();
      const err = await rejection(engine.exchangeCode(def, { code, codeVerifier: wrong }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'invalid_client',
        providerCode: 'invalid_client',
        upstreamStatus: 401,
      });
      expectNoSecrets(err, [code, verifier, wrong]);
    });

    it('PKCE mode: a bad grant_type → 401 with no body, still typed', async () => {
      const base = tencentCiam(options({ pkce: true, clientSecret: undefined }));
      const { code, verifier } = await login(base);
      const def = {
        ...base,
        token: {
          ...base.token,
          exchange: { ...base.token.exchange, extraParams: { grant_type: 'password' } },
        },
      };
      const err = await rejection(engine.exchangeCode(def, { code, codeVerifier: verifier }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'invalid_client',
        upstreamStatus: 401,
        status: 401,
        redactedBody: '',
      });
      expect(err.providerCode).toBeUndefined();
      expectNoSecrets(err, [code, verifier]);
    });

    it('PKCE mode: a missing client_id → 400 invalid_request', async () => {
      const base = tencentCiam(options({ pkce: true, clientSecret: undefined }));
      const { code, verifier } = await login(base);
      const def = {
        ...base,
        token: {
          ...base.token,
          exchange: { ...base.token.exchange, paramNames: { clientId: null } },
        },
      };
      const err = await rejection(engine.exchangeCode(def, { code, codeVerifier: verifier }));
      expect(err).toMatchObject({
        code: 'invalid_request',
        providerCode: 'invalid_request',
        upstreamStatus: 400,
      });
    });
  });

  describe('refresh', () => {
    it('posts id, secret, grant_type=refresh_token and refresh_token; keeps the same refresh token', async () => {
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      const refreshed = await engine.refresh(def, result.tokenSet.refreshToken!);
      const req = fake.requestsTo('token')[1];
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.body).toEqual({
        client_id: fake.clientId,
        client_secret: SECRET,
        grant_type: 'refresh_token',
        refresh_token: result.tokenSet.refreshToken,
      });
      expect(refreshed.tokenSet.refreshToken).toBe(result.tokenSet.refreshToken);
      expect(refreshed.tokenSet.accessToken).not.toBe(result.tokenSet.accessToken);
      expect(refreshed.tokenSet.idToken).toEqual(expect.any(String));
    });

    it('client_secret_basic: refreshes with Basic auth and a form of grant_type and refresh_token', async () => {
      const def = tencentCiam(options({ authMethod: 'client_secret_basic' }));
      const { result } = await loginAndExchange(def);
      await engine.refresh(def, result.tokenSet.refreshToken!);
      const req = fake.requestsTo('token')[1];
      expect(req.headers.authorization).toMatch(/^Basic /);
      expect(req.body).toEqual({
        grant_type: 'refresh_token',
        refresh_token: result.tokenSet.refreshToken,
      });
    });

    it('with a rotating tenant, returns the new refresh token and a reused one is invalid_grant', async () => {
      fake.rotateRefreshTokens = true;
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      const first = result.tokenSet.refreshToken!;
      const refreshed = await engine.refresh(def, first);
      expect(refreshed.tokenSet.refreshToken).not.toBe(first);
      const err = await rejection(engine.refresh(def, first));
      expect(err).toMatchObject({ code: 'invalid_grant', upstreamStatus: 400 });
      expectNoSecrets(err, [first, SECRET]);
      // reuse detection revokes the whole grant, the new refresh token included
      const after = await rejection(engine.refresh(def, refreshed.tokenSet.refreshToken!));
      expect(after.code).toBe('invalid_grant');
    });
  });

  describe('profile', () => {
    it('calls /userinfo with the bearer token and maps sub, name and email', async () => {
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      const profile = await engine.profile(def, result);
      expect(profile).toEqual({
        provider: 'tencent-ciam',
        id: 'MOCK_USERNAME',
        displayName: 'Mock User',
        email: 'mock.user@example.com',
      });
      const [req] = fake.requestsTo('userinfo');
      expect(req.path).toBe('/userinfo');
      expect(req.headers.authorization).toBe(`Bearer ${result.tokenSet.accessToken}`);
    });

    it('uses the nickname as display name when there is no name', async () => {
      fake.loginAs = 'u-nick';
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      expect(await engine.profile(def, result)).toEqual({
        provider: 'tencent-ciam',
        id: 'u-nick',
        displayName: 'Nicky',
        extras: { nickname: 'Nicky' },
      });
    });
  });

  describe('revoke and logout', () => {
    it('posts client_id, client_secret and token as a form; the tokens die with the refresh token', async () => {
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      const { accessToken, refreshToken } = result.tokenSet;
      await expect(engine.revoke(def, refreshToken!)).resolves.toBe(true);
      const [req] = fake.requestsTo('revoke');
      expect(req.path).toBe('/oauth2/revoke');
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.body).toEqual({
        client_id: fake.clientId,
        client_secret: SECRET,
        token: refreshToken,
      });
      const userinfoErr = await rejection(engine.userinfo(def, accessToken));
      expect(userinfoErr).toMatchObject({ upstreamStatus: 401, operation: 'userinfo' });
      expectNoSecrets(userinfoErr, [accessToken]);
      expect((await rejection(engine.refresh(def, refreshToken!))).code).toBe('invalid_grant');
    });

    it('with client_secret_basic, still revokes with the documented form credentials', async () => {
      const def = tencentCiam(options({ authMethod: 'client_secret_basic' }));
      const { result } = await loginAndExchange(def);
      await expect(engine.revoke(def, result.tokenSet.accessToken)).resolves.toBe(true);
      const [req] = fake.requestsTo('revoke');
      expect(req.headers.authorization).toBeUndefined();
      expect(req.body).toEqual({
        client_id: fake.clientId,
        client_secret: SECRET,
        token: result.tokenSet.accessToken,
      });
    });

    it('PKCE mode revokes with client_id and token only', async () => {
      const def = tencentCiam(options({ pkce: true, clientSecret: undefined }));
      const { result } = await loginAndExchange(def);
      await expect(engine.revoke(def, result.tokenSet.accessToken)).resolves.toBe(true);
      expect(fake.requestsTo('revoke')[0].body).toEqual({
        client_id: fake.clientId,
        token: result.tokenSet.accessToken,
      });
    });

    it('builds the portal logout URL the tenant answers with a 302 carrying the state', async () => {
      const url = tencentCiamLogoutUrl(options(), {
        logoutRedirectUri: 'https://app.example.com/bye',
        state: 'lo-1',
      });
      expect(url).toBe(
        `${fake.url}/logout?client_id=${fake.clientId}&logout_redirect_uri=${encodeURIComponent('https://app.example.com/bye')}&state=lo-1`,
      );
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://app.example.com/bye?state=lo-1');
    });
  });

  describe('garbage answers', () => {
    it.each<[FakeFault, string, number]>([
      ['html-200', 'invalid_response', 200],
      ['html-502', 'server_error', 502],
      ['truncated-json', 'invalid_response', 200],
      ['no-access-token', 'invalid_response', 200],
    ])(
      '%s from the token endpoint → UnexpectedResponseError %s',
      async (fault, code, upstreamStatus) => {
        const def = tencentCiam(options());
        const { code: authCode } = await login(def);
        fake.injectFault('token', fault);
        const err = await rejection(engine.exchangeCode(def, { code: authCode }));
        expect(err).toBeInstanceOf(UnexpectedResponseError);
        expect(err).toMatchObject({
          code,
          upstreamStatus,
          provider: 'tencent-ciam',
          operation: 'exchange',
        });
        expectNoSecrets(err, [authCode, SECRET]);
      },
    );

    it('a hanging token endpoint → TransportError timeout within the configured timeout', async () => {
      const def = tencentCiam(options());
      const { code } = await login(def);
      fake.injectFault('token', 'hang');
      const err = await rejection(
        new AuthCodeEngine({ timeoutMs: 200 }).exchangeCode(def, { code }),
      );
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'timeout', operation: 'exchange', status: 504 });
      expectNoSecrets(err, [code, SECRET]);
    });

    it('a forced refresh error is read like any RFC error', async () => {
      const def = tencentCiam(options());
      const { result } = await loginAndExchange(def);
      fake.forceError('refresh', {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'expired' },
      });
      const err = await rejection(engine.refresh(def, result.tokenSet.refreshToken!));
      expect(err).toMatchObject({
        code: 'invalid_grant',
        providerMessage: 'expired',
        operation: 'refresh',
      });
    });
  });
});
