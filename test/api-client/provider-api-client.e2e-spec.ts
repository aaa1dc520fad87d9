import { AuthCodeError, ProviderApiClient, TokenService } from 'nestjs-auth-code';
import { PLATFORMS } from '../support/platforms';
import type { FakeIsolarcloud, FakeTencentCiam, FakeXt } from 'nestjs-auth-code/testing';
import { API_FIXTURES, sessionIdOf, type ApiFixture } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

/** What each seed provider's `profile` call must look like on the wire and answer. */
const WIRE: Record<string, (fx: ApiFixture, token: string) => void> = {
  isolarcloud: (fx, token) => {
    const fake = fx.fake as FakeIsolarcloud;
    const [req] = fake.requestsTo('plants');
    expect(req.method).toBe('POST');
    expect(req.headers.authorization).toBe(`Bearer ${token}`);
    expect(req.headers['x-access-key']).toBe(fake.secretKey);
    expect(req.headers['content-type']).toContain('application/json');
    expect(req.body).toEqual({ appkey: fake.appKey, page: 1, size: 50 });
  },
  'tencent-ciam': (fx, token) => {
    const [req] = fx.fake.requestsTo('userinfo');
    expect([req.method, req.path]).toEqual(['GET', '/userinfo']);
    expect(req.headers.authorization).toBe(`Bearer ${token}`);
  },
  xt: (fx, token) => {
    const [req] = fx.fake.requestsTo('userinfo');
    expect([req.method, req.path]).toEqual(['GET', '/v4/user/info']);
    expect(req.headers.authorization).toBe(`Bearer ${token}`);
  },
};

/** The payload each `profile` call returns (inside the envelope). */
const PAYLOAD: Record<string, (fx: ApiFixture) => unknown> = {
  isolarcloud: (fx) => {
    const plants = (fx.fake as FakeIsolarcloud).plants;
    return {
      rowCount: plants.length,
      pageList: expect.arrayContaining([
        expect.objectContaining({ ps_id: Number(plants[0].id), ps_name: plants[0].name }),
      ]),
    };
  },
  'tencent-ciam': () => expect.objectContaining({ sub: 'MOCK_USERNAME', name: 'Mock User' }),
  xt: (fx) => expect.objectContaining({ user_id: (fx.fake as FakeXt).userId }),
};

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(API_FIXTURES)('ProviderApiClient against the %s fake', (id, makeFixture) => {
    const seed = useSeedApp(makeFixture, { platform });
    let client: ProviderApiClient;
    let sessionId: string;
    let accessToken: string;

    beforeEach(async () => {
      client = seed.app.app.get(ProviderApiClient);
      const browser = new Browser(seed.app.url);
      await login(browser, id, seed.fx.fake);
      sessionId = sessionIdOf(browser);
      accessToken = (await seed.app.app.get(TokenService).getGrant(sessionId, id))!.tokenSet
        .accessToken;
      seed.fx.fake.requests.length = 0;
    });

    async function failure(call = 'profile'): Promise<AuthCodeError> {
      const err = await client.call(sessionId, id, call).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AuthCodeError);
      return err as AuthCodeError;
    }

    it('makes the documented call with the session token and returns the payload', async () => {
      const data = await client.call(sessionId, id, 'profile');
      expect(data).toEqual(PAYLOAD[id](seed.fx));
      WIRE[id](seed.fx, accessToken);
    });

    it("turns the provider's token refusal into token_dead (401)", async () => {
      seed.fx.knobs.killApiCalls(seed.fx.fake, 1);
      const err = await failure();
      expect([err.code, err.status, err.provider, err.operation]).toEqual([
        'token_dead',
        401,
        id,
        'api',
      ]);
    });

    it("turns the provider's rate limit into rate_limited (429)", async () => {
      seed.fx.knobs.rateLimitApiCalls(seed.fx.fake, 1);
      const err = await failure();
      expect([err.code, err.status]).toEqual(['rate_limited', 429]);
    });

    it.each([
      ['html-200', 'invalid_response', 502],
      ['truncated-json', 'invalid_response', 502],
      ['html-502', 'server_error', 502],
      ['status-503', 'temporarily_unavailable', 503],
    ] as const)('turns garbage (%s) into %s', async (fault, code, status) => {
      seed.fx.fake.injectFault(seed.fx.knobs.apiRoute, fault);
      const err = await failure();
      expect([err.code, err.status, err.provider]).toEqual([code, status, id]);
    });

    it('refuses a call its description does not name with a configuration error', async () => {
      const err = await failure('no-such-call');
      expect([err.code, err.status]).toEqual(['invalid_config', 500]);
      expect(seed.fx.fake.requests).toHaveLength(0);
    });

    it('answers GET /api/:provider/profile with the payload and never the token', async () => {
      const browser = new Browser(seed.app.url);
      await login(browser, id, seed.fx.fake);
      const token = (await seed.app.app.get(TokenService).getGrant(sessionIdOf(browser), id))!
        .tokenSet;
      const res = await browser.get(`/api/${id}/profile`, { accept: 'application/json' });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(JSON.parse(text)).toEqual({ provider: id, data: PAYLOAD[id](seed.fx) });
      expect(text).not.toContain(token.accessToken);
      expect(text).not.toMatch(/access_?token|refresh_?token/i);
    });
  });

  describe('ProviderApiClient, provider specifics', () => {
    let iso: ApiFixture;
    let tencent: ApiFixture;
    let xt: ApiFixture;
    let app: TestApp;
    let client: ProviderApiClient;
    let sessionId: string;

    beforeAll(async () => {
      [iso, tencent, xt] = await Promise.all(API_FIXTURES.map(([, make]) => make()));
      app = await startTestApp({
        platform,
        providers: [iso.definition, tencent.definition, xt.definition],
      });
      client = app.app.get(ProviderApiClient);
      const browser = new Browser(app.url);
      for (const fx of [iso, tencent, xt]) await login(browser, fx.id, fx.fake);
      sessionId = sessionIdOf(browser);
    });
    afterAll(async () => {
      await app?.close();
      await Promise.all([iso, tencent, xt].map((fx) => fx?.fake.stop()));
    });

    const reason = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: AuthCodeError) => e,
      );

    it.each(['E00003', 'E900', 'E912', 'E914', 'E919'])(
      'reads iSolarCloud result_code %s in an HTTP 200 envelope as token_dead',
      async (code) => {
        (iso.fake as FakeIsolarcloud).forceError('plants', code);
        const err = await reason(client.call(sessionId, 'isolarcloud', 'plants'));
        expect(err).toMatchObject({ code: 'token_dead', providerCode: code, upstreamStatus: 200 });
      },
    );

    it.each(['E998', 'E999'])('reads iSolarCloud result_code %s as rate_limited', async (code) => {
      (iso.fake as FakeIsolarcloud).forceError('plants', code);
      const err = await reason(client.call(sessionId, 'isolarcloud', 'plants'));
      expect(err).toMatchObject({ code: 'rate_limited', providerCode: code });
    });

    it('reads an unknown iSolarCloud result_code as provider_error, keeping the code', async () => {
      (iso.fake as FakeIsolarcloud).forceError('plants', 'E123');
      const err = await reason(client.call(sessionId, 'isolarcloud', 'plants'));
      expect(err).toMatchObject({ code: 'provider_error', providerCode: 'E123', status: 400 });
    });

    it('reads a Tencent 401 with WWW-Authenticate: Bearer error="invalid_token" as token_dead', async () => {
      tencent.knobs.killApiCalls(tencent.fake, 1);
      const err = await reason(client.call(sessionId, 'tencent-ciam'));
      expect(err).toMatchObject({
        code: 'token_dead',
        providerCode: 'invalid_token',
        upstreamStatus: 401,
      });
    });

    it("reads Tencent's 404 user_not_found as a typed refusal, not a dead token", async () => {
      (tencent.fake as FakeTencentCiam).forceError('userinfo', {
        status: 404,
        body: { error: 'user_not_found' },
      });
      const err = await reason(client.call(sessionId, 'tencent-ciam'));
      expect(err).toMatchObject({
        code: 'provider_error',
        providerCode: 'user_not_found',
        status: 400,
      });
    });

    it('reads an XT envelope refusal with HTTP 200 and mc TOKEN_INVALID as token_dead', async () => {
      (xt.fake as FakeXt).forceError('userinfo', 'TOKEN_INVALID');
      const err = await reason(client.call(sessionId, 'xt'));
      expect(err).toMatchObject({
        code: 'token_dead',
        providerCode: 'TOKEN_INVALID',
        upstreamStatus: 200,
      });
    });

    it('reads an unmapped XT mc as provider_error (an API refusal does not kill the grant)', async () => {
      (xt.fake as FakeXt).forceError('userinfo', 'COMMON_001');
      const err = await reason(client.call(sessionId, 'xt'));
      expect(err).toMatchObject({ code: 'provider_error', providerCode: 'COMMON_001' });
    });

    it('cuts the access token out of an answer that echoes it, in errors and in JSON answers', async () => {
      const token = (await app.app.get(TokenService).getGrant(sessionId, 'tencent-ciam'))!.tokenSet
        .accessToken;
      const echo = {
        status: 400,
        body: { error: 'invalid_request', error_description: `bad ${token}` },
      };
      (tencent.fake as FakeTencentCiam).forceError('userinfo', echo);
      const err = (await reason(client.call(sessionId, 'tencent-ciam')))!;
      expect(JSON.stringify({ ...err.toJSON(), body: err.redactedBody })).not.toContain(token);
      expect(err.message).toContain('[redacted]');
    });

    it('answers a browser-facing API error without the echoed token', async () => {
      const browser = new Browser(app.url);
      await login(browser, 'tencent-ciam', tencent.fake);
      const sid = sessionIdOf(browser);
      const token = (await app.app.get(TokenService).getGrant(sid, 'tencent-ciam'))!.tokenSet
        .accessToken;
      const echo = { status: 400, body: { error: 'invalid_request', error_description: token } };
      (tencent.fake as FakeTencentCiam).forceError('userinfo', echo);
      for (const accept of ['application/json', 'text/html']) {
        if (accept === 'text/html') (tencent.fake as FakeTencentCiam).forceError('userinfo', echo);
        const res = await browser.get('/api/tencent-ciam/profile', { accept });
        expect(res.status).toBe(400);
        expect(await res.text()).not.toContain(token);
      }
    });
  });

  describe('ProviderApiClient with a hanging provider', () => {
    const seed = useSeedApp(API_FIXTURES[0][1], { platform, httpTimeoutMs: 300 });

    it('answers 504 timeout instead of hanging', async () => {
      const browser = new Browser(seed.app.url);
      await login(browser, seed.fx.id, seed.fx.fake);
      seed.fx.fake.injectFault('plants', 'hang');
      const res = await browser.get('/api/isolarcloud/profile', { accept: 'application/json' });
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ error: 'timeout', provider: 'isolarcloud' });
    });
  });
});
