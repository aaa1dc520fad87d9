import { FakeXt } from './xt.fake';

const REDIRECT = 'https://institution.example/auth/xt/callback';

/**
 * FakeXt refuses what XT.COM refuses, proven with real HTTP requests: the token endpoint answers in
 * XT's `{ rc, mc, ma, result }` envelope (HTTP 200 with `rc: 1` for a refusal), the authorize page
 * with an HTTP 400 page, userinfo with 401 and `mc: TOKEN_INVALID`.
 */
describe('FakeXt is strict', () => {
  const fake = new FakeXt({ redirectUri: REDIRECT });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  function authorizeUrl(params: Record<string, string> = {}, extra = ''): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: fake.clientId,
      redirect_uri: REDIRECT,
      state: 'st',
      ...params,
    });
    return `${fake.url}/oauth/authorize?${q}${extra}`;
  }

  async function code(): Promise<string> {
    return new URL(await fake.consent(authorizeUrl())).searchParams.get('code')!;
  }

  const tokenUrl = (params: Record<string, string>, extra = '') =>
    `${fake.url}/public/uaa/oauth2/token?${new URLSearchParams(params)}${extra}`;
  const credentials = () => ({ client_id: fake.clientId, client_secret: fake.clientSecret });

  async function refusal(res: Response): Promise<string> {
    expect(res.status).toBe(200); // deviates from RFC 6749: XT refuses inside HTTP 200
    const body = (await res.json()) as { rc: number; mc: string; result: unknown };
    expect(body).toMatchObject({ rc: 1, result: null });
    return body.mc;
  }

  describe('authorize page', () => {
    it.each([
      [
        'an unregistered redirect_uri',
        () => authorizeUrl({ redirect_uri: 'https://evil.example/cb' }),
      ],
      [
        'a repeated redirect_uri',
        () => authorizeUrl({}, `&redirect_uri=${encodeURIComponent(REDIRECT)}`),
      ],
      ['a repeated state', () => authorizeUrl({}, '&state=other')],
      ['an unknown client_id', () => authorizeUrl({ client_id: 'SOMEONE' })],
      ['a response_type other than code', () => authorizeUrl({ response_type: 'token' })],
    ])('answers %s with a 400 page and no redirect', async (_why, url) => {
      const res = await fetch(url(), { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    });

    it('registers only the sample app redirect URI when none is given (never "any URL")', async () => {
      const plain = new FakeXt();
      await plain.start();
      try {
        const url = authorizeUrl({}).replace(fake.url, plain.url);
        expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
        const ok = url.replace(
          encodeURIComponent(REDIRECT),
          encodeURIComponent('http://localhost:3000/auth/xt/callback'),
        );
        expect((await fetch(ok, { redirect: 'manual' })).status).toBe(200);
      } finally {
        await plain.stop();
      }
    });

    it('refuses an unregistered redirect_uri at the consent route too', async () => {
      const q = new URLSearchParams({
        decision: 'approve',
        response_type: 'code',
        client_id: fake.clientId,
        redirect_uri: 'https://evil.example/cb',
      });
      const res = await fetch(`${fake.url}/consent?${q}`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    });
  });

  describe('token endpoint (a GET with everything in the query)', () => {
    it('answers a POST with HTTP 405 in the XT envelope', async () => {
      const res = await fetch(`${fake.url}/public/uaa/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...credentials(),
          grant_type: 'authorization_code',
          code: await code(),
        }).toString(),
      });
      expect(res.status).toBe(405);
      expect(await res.json()).toMatchObject({ rc: 1, mc: 'METHOD_NOT_SUPPORTED' });
    });

    it('refuses a repeated parameter instead of taking the first', async () => {
      const c = await code();
      const params = { ...credentials(), grant_type: 'authorization_code', code: c };
      expect(await refusal(await fetch(tokenUrl(params, `&code=${c}`)))).toBe('PARAMETER_REPEATED');
      expect(await refusal(await fetch(tokenUrl(params, '&client_id=OTHER')))).toBe(
        'PARAMETER_REPEATED',
      );
    });

    it('refuses a missing or wrong client secret', async () => {
      const c = await code();
      const missing = { client_id: fake.clientId, grant_type: 'authorization_code', code: c };
      expect(await refusal(await fetch(tokenUrl(missing)))).toBe('CLIENT_INVALID');
      const wrong = { ...missing, client_secret: 'guess' };
      expect(await refusal(await fetch(tokenUrl(wrong)))).toBe('CLIENT_INVALID');
    });

    it('refuses an unknown and a replayed code', async () => {
      const base = { ...credentials(), grant_type: 'authorization_code' };
      expect(await refusal(await fetch(tokenUrl({ ...base, code: 'made-up' })))).toBe(
        'CODE_INVALID',
      );
      const c = await code();
      expect((await fetch(tokenUrl({ ...base, code: c }))).status).toBe(200);
      expect(await refusal(await fetch(tokenUrl({ ...base, code: c })))).toBe('CODE_INVALID');
    });

    it('refuses an unknown grant type and an unknown refresh token', async () => {
      expect(
        await refusal(await fetch(tokenUrl({ ...credentials(), grant_type: 'password' }))),
      ).toBe('GRANT_TYPE_INVALID');
      const refresh = { ...credentials(), grant_type: 'refresh_token', refresh_token: 'x.y.z' };
      expect(await refusal(await fetch(tokenUrl(refresh)))).toBe('REFRESH_TOKEN_INVALID');
    });
  });

  describe('userinfo', () => {
    it('answers without a token, or with a token it never issued, 401 TOKEN_INVALID', async () => {
      const tries: Record<string, string>[] = [{}, { authorization: 'Bearer never-issued' }];
      for (const headers of tries) {
        const res = await fetch(`${fake.url}/v4/user/info`, { headers });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ rc: 1, mc: 'TOKEN_INVALID' });
      }
    });
  });
});
