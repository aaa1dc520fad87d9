import { createHash, randomBytes } from 'node:crypto';
import { FakeOidc } from './fake-oidc.fake';

const REDIRECT = 'https://rp.example/cb';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** FakeOidc refuses what a conformant OpenID Provider refuses, proven with real HTTP requests. */
describe('FakeOidc is strict', () => {
  const fake = new FakeOidc({
    clientId: 'rp',
    clientSecret: 'rp-secret',
    redirectUris: [REDIRECT],
  });
  const pub = new FakeOidc({ clientId: 'spa', clientSecret: null, redirectUris: [REDIRECT] });
  beforeAll(() => Promise.all([fake.start(), pub.start()]));
  afterAll(() => Promise.all([fake.stop(), pub.stop()]));
  beforeEach(() => {
    fake.reset();
    pub.reset();
  });

  const secretForm = { client_id: 'rp', client_secret: 'rp-secret' };
  const newVerifier = () => randomBytes(32).toString('base64url');
  const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

  function authorize(op: FakeOidc, params: Record<string, string> = {}): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: op.clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      nonce: 'n-1',
      ...params,
    });
    return `${op.url}/authorize?${q}`;
  }

  async function code(op: FakeOidc, params: Record<string, string> = {}): Promise<string> {
    const back = new URL(await op.consent(authorize(op, params)));
    return back.searchParams.get('code')!;
  }

  const post = (op: FakeOidc, path: string, form: Record<string, string>, as = 'form') =>
    fetch(`${op.url}${path}`, {
      method: 'POST',
      headers: as === 'form' ? FORM : { 'content-type': 'application/json' },
      body: as === 'form' ? new URLSearchParams(form).toString() : JSON.stringify(form),
    });

  async function exchange(op: FakeOidc, form: Record<string, string>) {
    const res = await post(op, '/token', {
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      ...form,
    });
    return { res, body: (await res.json()) as Record<string, string> };
  }

  it('issues an id_token only when scope has openid (OIDC Core 3.1.2.1)', async () => {
    const oauthOnly = await exchange(fake, {
      ...secretForm,
      code: await code(fake, { scope: 'email' }),
    });
    expect(oauthOnly.res.status).toBe(200);
    expect(oauthOnly.body.id_token).toBeUndefined();
    const refreshed = await post(fake, '/token', {
      ...secretForm,
      grant_type: 'refresh_token',
      refresh_token: oauthOnly.body.refresh_token,
    });
    expect(((await refreshed.json()) as Record<string, string>).id_token).toBeUndefined();
    const oidc = await exchange(fake, { ...secretForm, code: await code(fake) });
    expect(oidc.body.id_token).toEqual(expect.any(String));
  });

  it('refuses a token request without client authentication or with a wrong secret', async () => {
    const missing = await exchange(fake, { client_id: 'rp', code: await code(fake) });
    expect([missing.res.status, missing.body.error]).toEqual([401, 'invalid_client']);
    const wrong = await exchange(fake, {
      client_id: 'rp',
      client_secret: 'x',
      code: await code(fake),
    });
    expect([wrong.res.status, wrong.body.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses a JSON token body', async () => {
    const form = { ...secretForm, grant_type: 'authorization_code', code: await code(fake) };
    const res = await post(fake, '/token', form, 'json');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses an unregistered redirect_uri at authorize, and a different one at token', async () => {
    const page = await fetch(authorize(fake, { redirect_uri: 'https://evil.example/cb' }), {
      redirect: 'manual',
    });
    expect([page.status, page.headers.get('location')]).toEqual([400, null]);
    fake.redirectUris = [REDIRECT, `${REDIRECT}2`];
    try {
      const other = await exchange(fake, {
        ...secretForm,
        code: await code(fake),
        redirect_uri: `${REDIRECT}2`,
      });
      expect([other.res.status, other.body.error]).toEqual([400, 'invalid_grant']);
    } finally {
      fake.redirectUris = [REDIRECT];
    }
  });

  it('redirects an authorize error with state and iss (RFC 9207)', async () => {
    const res = await fetch(authorize(fake, { response_type: 'token' }), { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      error: 'unsupported_response_type',
      state: 'st',
      iss: fake.url,
    });
  });

  it('checks the PKCE verifier', async () => {
    const verifier = newVerifier();
    const pkce = { code_challenge: challengeOf(verifier), code_challenge_method: 'S256' };
    const wrong = await exchange(fake, {
      ...secretForm,
      code: await code(fake, pkce),
      code_verifier: newVerifier(),
    });
    expect([wrong.res.status, wrong.body.error]).toEqual([400, 'invalid_grant']);
    const right = await exchange(fake, {
      ...secretForm,
      code: await code(fake, pkce),
      code_verifier: verifier,
    });
    expect(right.res.status).toBe(200);
  });

  it('demands PKCE from a public client and refuses a secret from it', async () => {
    const res = await fetch(authorize(pub), { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const verifier = newVerifier();
    const pkce = { code_challenge: challengeOf(verifier), code_challenge_method: 'S256' };
    const withSecret = await exchange(pub, {
      client_id: 'spa',
      client_secret: 'guess',
      code: await code(pub, pkce),
      code_verifier: verifier,
    });
    expect([withSecret.res.status, withSecret.body.error]).toEqual([401, 'invalid_client']);
    const ok = await exchange(pub, {
      client_id: 'spa',
      code: await code(pub, pkce),
      code_verifier: verifier,
    });
    expect(ok.res.status).toBe(200);
  });

  it('refuses an unknown refresh token and a used one, which revokes the grant', async () => {
    const refresh = (token: string) =>
      post(fake, '/token', { ...secretForm, grant_type: 'refresh_token', refresh_token: token });
    expect((await (await refresh('made-up')).json()) as object).toMatchObject({
      error: 'invalid_grant',
    });
    const { body } = await exchange(fake, { ...secretForm, code: await code(fake) });
    const rotated = (await (await refresh(body.refresh_token)).json()) as Record<string, string>;
    expect(rotated.refresh_token).not.toBe(body.refresh_token);
    expect((await refresh(body.refresh_token)).status).toBe(400);
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
  });

  describe('userinfo (RFC 6750 3.1, OIDC Core 5.3)', () => {
    const userinfo = (token?: string) =>
      fetch(`${fake.url}/userinfo`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });

    it('answers without a token 401 with a bare challenge, and a bad token 401 invalid_token', async () => {
      const none = await userinfo();
      expect([none.status, none.headers.get('www-authenticate')]).toEqual([
        401,
        'Bearer realm="fake-oidc"',
      ]);
      const bad = await userinfo('not-issued');
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('answers a token without the openid scope 403 insufficient_scope', async () => {
      const { body } = await exchange(fake, {
        ...secretForm,
        code: await code(fake, { scope: 'email' }),
      });
      const res = await userinfo(body.access_token);
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    });

    it('answers a revoked token 401 and a live one 200 (the control)', async () => {
      const { body } = await exchange(fake, { ...secretForm, code: await code(fake) });
      expect((await userinfo(body.access_token)).status).toBe(200);
      const revoked = await post(fake, '/revoke', { ...secretForm, token: body.refresh_token });
      expect(revoked.status).toBe(200);
      expect((await userinfo(body.access_token)).status).toBe(401);
    });
  });

  it('refuses revocation without client authentication', async () => {
    const res = await post(fake, '/revoke', { token: 'x' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});
