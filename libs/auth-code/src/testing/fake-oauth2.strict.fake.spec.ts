import { createHash, randomBytes } from 'node:crypto';
import { FakeOAuth2 } from './fake-oauth2.fake';

const REDIRECT = 'http://127.0.0.1/auth/fake-oauth2/callback';
const FORM = 'application/x-www-form-urlencoded';

/**
 * FakeOAuth2 refuses what a conformant RFC 6749 server refuses, each refusal proven with a real
 * HTTP request in the RFC's own error format (5.2 for token and revocation, 6750 3.1 for
 * userinfo, 4.1.2.1 for authorize).
 */
describe('FakeOAuth2 is strict', () => {
  const fake = new FakeOAuth2();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.requirePkce = false;
  });

  const verifier = () => randomBytes(32).toString('base64url');
  const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const goodAuth = () => ({ authorization: basic(fake.clientId, fake.clientSecret) });

  function authorize(params: Record<string, string> = {}, extra = ''): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: fake.clientId,
      redirect_uri: REDIRECT,
      state: 'st',
      ...params,
    });
    return `${fake.url}/authorize?${q}${extra}`;
  }

  const get = (url: string) => fetch(url, { redirect: 'manual' });
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers, body });
  const postForm = (
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = goodAuth(),
  ) => post(path, new URLSearchParams(form).toString(), { 'content-type': FORM, ...headers });

  async function code(params: Record<string, string> = {}): Promise<string> {
    return new URL(await fake.consent(authorize(params))).searchParams.get('code')!;
  }

  async function expectOAuthError(res: Response, status: number, error: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error });
  }

  function expectRedirectError(res: Response, error: string) {
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe(error);
    expect(back.searchParams.get('state')).toBe('st');
  }

  describe('authorize (RFC 6749 4.1.2.1)', () => {
    it.each([
      ['an unknown client_id', () => authorize({ client_id: 'nope' })],
      [
        'an unregistered redirect_uri',
        () => authorize({ redirect_uri: 'https://evil.example/cb' }),
      ],
      [
        'a repeated redirect_uri',
        () => authorize({}, `&redirect_uri=${encodeURIComponent(REDIRECT)}`),
      ],
      ['a repeated client_id', () => authorize({}, '&client_id=fake-client')],
    ])('shows an error page and never redirects for %s', async (_why, url) => {
      const res = await get(url());
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });

    it('refuses the same at the consent route, which issues the codes', async () => {
      const res = await get(
        `${fake.url}/consent?${new URLSearchParams({
          decision: 'approve',
          response_type: 'code',
          client_id: fake.clientId,
          redirect_uri: 'https://evil.example/cb',
        })}`,
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });

    it.each([
      ['a repeated state', () => authorize({}, '&state=other'), 'invalid_request'],
      ['no response_type', () => authorize().replace('response_type=code&', ''), 'invalid_request'],
      [
        'response_type=token',
        () => authorize({ response_type: 'token' }),
        'unsupported_response_type',
      ],
      [
        'a plain PKCE challenge',
        () => authorize({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }),
        'invalid_request',
      ],
      [
        'a challenge without a method',
        () => authorize({ code_challenge: 'x'.repeat(43) }),
        'invalid_request',
      ],
      [
        'a malformed challenge',
        () => authorize({ code_challenge: 'short', code_challenge_method: 'S256' }),
        'invalid_request',
      ],
    ])('redirects %s back with its error and the state', async (_why, url, error) => {
      expectRedirectError(await get(url()), error);
    });

    it('with requirePkce, redirects a request without a challenge with invalid_request', async () => {
      fake.requirePkce = true;
      expectRedirectError(await get(authorize()), 'invalid_request');
    });
  });

  describe('token (RFC 6749 3.2, 2.3, 4.1.3, 5.2)', () => {
    it('refuses a JSON body', async () => {
      const body = JSON.stringify({ grant_type: 'authorization_code', code: await code() });
      const res = await post('/token', body, { 'content-type': 'application/json', ...goodAuth() });
      await expectOAuthError(res, 400, 'invalid_request');
    });

    it('refuses a repeated parameter', async () => {
      const c = await code();
      const body = `grant_type=authorization_code&code=${c}&code=${c}&redirect_uri=${encodeURIComponent(REDIRECT)}`;
      await expectOAuthError(
        await post('/token', body, { 'content-type': FORM, ...goodAuth() }),
        400,
        'invalid_request',
      );
    });

    it('refuses a request without client authentication', async () => {
      const form = { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT };
      await expectOAuthError(await postForm('/token', form, {}), 401, 'invalid_client');
    });

    it('refuses a wrong secret in Basic with 401 and a Basic challenge', async () => {
      const form = { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT };
      const res = await postForm('/token', form, { authorization: basic(fake.clientId, 'wrong') });
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="fake-oauth2"');
      await expectOAuthError(res, 401, 'invalid_client');
    });

    it('refuses a wrong secret in the form and a malformed Basic header', async () => {
      const form = { grant_type: 'refresh_token', refresh_token: fake.issueTokens().refreshToken! };
      const wrong = { ...form, client_id: fake.clientId, client_secret: 'wrong' };
      await expectOAuthError(await postForm('/token', wrong, {}), 401, 'invalid_client');
      const malformed = { authorization: 'Basic !!!' };
      await expectOAuthError(await postForm('/token', form, malformed), 401, 'invalid_client');
    });

    it('refuses two client authentication methods at once', async () => {
      const form = {
        grant_type: 'refresh_token',
        refresh_token: fake.issueTokens().refreshToken!,
        client_secret: fake.clientSecret,
      };
      await expectOAuthError(await postForm('/token', form), 400, 'invalid_request');
    });

    it('refuses a missing and an unknown grant_type', async () => {
      await expectOAuthError(await postForm('/token', { code: 'x' }), 400, 'invalid_request');
      await expectOAuthError(
        await postForm('/token', { grant_type: 'password' }),
        400,
        'unsupported_grant_type',
      );
    });

    it('refuses a redirect_uri that differs from the authorize request', async () => {
      const form = {
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: `${REDIRECT}/other`,
      };
      await expectOAuthError(await postForm('/token', form), 400, 'invalid_grant');
    });

    it('refuses a missing or wrong PKCE verifier, and a verifier for a code without PKCE', async () => {
      const pkce = { code_challenge: challengeOf(verifier()), code_challenge_method: 'S256' };
      const exchange = (c: string, extra: Record<string, string> = {}) =>
        postForm('/token', {
          grant_type: 'authorization_code',
          code: c,
          redirect_uri: REDIRECT,
          ...extra,
        });
      await expectOAuthError(await exchange(await code(pkce)), 400, 'invalid_grant');
      const wrong = { code_verifier: verifier() };
      await expectOAuthError(await exchange(await code(pkce), wrong), 400, 'invalid_grant');
      await expectOAuthError(await exchange(await code(), wrong), 400, 'invalid_grant');
    });

    it('refuses a replayed code and revokes the tokens the first use issued', async () => {
      const form = { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT };
      const first = (await (await postForm('/token', form)).json()) as { access_token: string };
      await expectOAuthError(await postForm('/token', form), 400, 'invalid_grant');
      const info = await fetch(`${fake.url}/userinfo`, {
        headers: { authorization: `Bearer ${first.access_token}` },
      });
      expect(info.status).toBe(401);
    });

    it('refuses an unknown refresh token and a rotated-away one (revoking the family)', async () => {
      const refresh = (token: string) =>
        postForm('/token', { grant_type: 'refresh_token', refresh_token: token });
      await expectOAuthError(await refresh('rt-unknown'), 400, 'invalid_grant');
      const issued = fake.issueTokens();
      const next = (await (await refresh(issued.refreshToken!)).json()) as {
        refresh_token: string;
      };
      await expectOAuthError(await refresh(issued.refreshToken!), 400, 'invalid_grant');
      await expectOAuthError(await refresh(next.refresh_token), 400, 'invalid_grant');
    });
  });

  describe('revocation (RFC 7009 2.1)', () => {
    it('refuses a JSON body, a missing client authentication and a missing token', async () => {
      const token = fake.issueTokens().refreshToken!;
      const json = await post('/revoke', JSON.stringify({ token }), {
        'content-type': 'application/json',
        ...goodAuth(),
      });
      await expectOAuthError(json, 400, 'invalid_request');
      await expectOAuthError(await postForm('/revoke', { token }, {}), 401, 'invalid_client');
      await expectOAuthError(await postForm('/revoke', {}), 400, 'invalid_request');
      expect(fake.grants.isRevoked(token)).toBe(false);
    });
  });

  describe('userinfo (RFC 6750 3.1)', () => {
    const userinfo = (headers: Record<string, string> = {}, query = '') =>
      fetch(`${fake.url}/userinfo${query}`, { headers });

    it('answers a request without a token with 401 and a challenge without error code', async () => {
      const res = await userinfo();
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="fake-oauth2"');
    });

    it('answers an unknown token with 401 invalid_token', async () => {
      const res = await userinfo({ authorization: 'Bearer at-unknown' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('answers a malformed header or a token in the query with 400 invalid_request', async () => {
      const { accessToken } = fake.issueTokens();
      for (const res of [
        await userinfo({ authorization: 'Bearer two words' }),
        await userinfo({}, `?access_token=${accessToken}`),
      ]) {
        expect(res.status).toBe(400);
        expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
      }
    });

    it('serves the user for a live token (the control)', async () => {
      const { accessToken } = fake.issueTokens();
      const res = await userinfo({ authorization: `Bearer ${accessToken}` });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(fake.user);
    });
  });
});
