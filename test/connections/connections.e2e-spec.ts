import { TokenService } from 'nestjs-auth-code';
import type { FakeTencentCiam, FakeXt } from 'nestjs-auth-code/testing';
import { sessionIdOf } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import {
  isolarcloudFixture,
  tencentFixture,
  xtFixture,
  type ProviderFixture,
} from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** The fields an entry of `GET /api/connections` may have. */
const FIELDS = [
  'provider',
  'userId',
  'displayName',
  'scope',
  'status',
  'expiresAt',
  'refreshExpiresAt',
  'lastRefreshAt',
  'monitor',
];

const tencentRefreshes = (f: FakeTencentCiam) =>
  f.requestsTo('token').filter((r) => r.body?.grant_type === 'refresh_token').length;

describe.each(PLATFORMS)('connected accounts in the sample app on %s', (platform) => {
  let iso: ProviderFixture;
  let tencent: ProviderFixture<FakeTencentCiam>;
  let xt: ProviderFixture<FakeXt>;
  let app: TestApp;
  let browser: Browser;
  /** Headers a page of the app itself sends with a fetch. */
  let own: Record<string, string>;

  beforeAll(async () => {
    [iso, tencent, xt] = await Promise.all([isolarcloudFixture(), tencentFixture(), xtFixture()]);
    app = await startTestApp({
      platform,
      sameOrigin: true,
      providers: [iso.definition, tencent.definition, xt.definition],
      // as the sample runs by default: XT.COM a connected account, Tencent ends with the session
      grantScope: { isolarcloud: 'user', xt: 'user' },
      plantMonitorSeconds: 0,
    });
    own = { origin: app.url, 'sec-fetch-site': 'same-origin', accept: 'application/json' };
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([iso, tencent, xt].map((f) => f?.fake.stop()));
  });
  beforeEach(async () => {
    for (const f of [iso, tencent, xt]) f.fake.reset();
    browser = new Browser(app.url);
    await login(browser, 'tencent-ciam', tencent.fake);
    await login(browser, 'xt', xt.fake);
  });

  const list = async (b = browser) => {
    const res = await b.get('/api/connections', { accept: 'application/json' });
    expect(res.status).toBe(200);
    return (await res.json()) as Array<Record<string, unknown>>;
  };

  it('GET /api/connections lists both linked accounts with who, scope, status and expiries, and no token', async () => {
    const before = Date.now();
    const res = await browser.get('/api/connections', { accept: 'application/json' });
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Array<Record<string, unknown>>;

    expect(body.map((c) => c.provider)).toEqual(['tencent-ciam', 'xt']);
    expect(body[0]).toEqual({
      provider: 'tencent-ciam',
      userId: 'MOCK_USERNAME',
      displayName: 'Mock User',
      scope: 'session',
      status: 'connected',
      expiresAt: expect.any(Number),
    });
    expect(body[1]).toMatchObject({
      provider: 'xt',
      userId: xt.fake.userId,
      scope: 'user',
      status: 'connected',
      expiresAt: expect.any(Number),
      refreshExpiresAt: expect.any(Number), // XT.COM says refresh_expires_in
    });
    expect(body[1].lastRefreshAt).toBeUndefined(); // never refreshed since the login
    for (const c of body) {
      expect(FIELDS).toEqual(expect.arrayContaining(Object.keys(c)));
      expect(c.expiresAt as number).toBeGreaterThan(before);
    }

    // not one token, nor the session id, anywhere in the answer
    const text = JSON.stringify(body);
    const tokens = app.app.get(TokenService);
    for (const provider of ['tencent-ciam', 'xt']) {
      const grant = (await tokens.getGrant(sessionIdOf(browser), provider))!;
      expect(text).not.toContain(grant.tokenSet.accessToken);
      if (grant.tokenSet.refreshToken) expect(text).not.toContain(grant.tokenSet.refreshToken);
      if (grant.tokenSet.idToken) expect(text).not.toContain(grant.tokenSet.idToken);
    }
    expect(text).not.toContain(sessionIdOf(browser));
  });

  it('DELETE /api/connections/:provider revokes at the provider and the account is gone from the list', async () => {
    const res = await browser.request('DELETE', '/api/connections/tencent-ciam', own);
    expect(res.status).toBe(204);
    expect(tencent.fake.requestsTo('revoke')).toHaveLength(1);
    expect((await list()).map((c) => c.provider)).toEqual(['xt']);
    // the session itself goes on, with its other account
    expect((await browser.get('/me', { accept: 'application/json' })).status).toBe(200);
  });

  it('disconnecting a connected account ends it for every session of its user', async () => {
    // a second browser of the same user (the user key is the first login's: tencent-ciam:…)
    const other = new Browser(app.url);
    await login(other, 'tencent-ciam', tencent.fake);
    expect((await list(other)).map((c) => [c.provider, c.scope])).toEqual([
      ['tencent-ciam', 'session'],
      ['xt', 'user'], // the user's connection, made in the first browser
    ]);

    expect((await browser.request('DELETE', '/api/connections/xt', own)).status).toBe(204);
    expect((await list(other)).map((c) => c.provider)).toEqual(['tencent-ciam']);
    expect((await list()).map((c) => c.provider)).toEqual(['tencent-ciam']);
  });

  it('POST /api/connections/:provider/refresh makes exactly one upstream refresh, however many ask at once', async () => {
    const [before] = (await list()).filter((c) => c.provider === 'xt');
    xt.fake.latencyMs = 200; // the requests overlap the refresh in flight
    try {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          browser.post('/api/connections/xt/refresh', own).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as Record<string, unknown>,
          })),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(xt.fake.grantCount('refresh_token')).toBe(1);
      expect(tencentRefreshes(tencent.fake)).toBe(0);
      const after = answers[0].body;
      expect(after).toMatchObject({ provider: 'xt', status: 'connected' });
      expect(after.lastRefreshAt).toEqual(expect.any(Number));
      expect(after.expiresAt as number).toBeGreaterThanOrEqual(before.expiresAt as number);
      expect(answers.every((a) => a.body.lastRefreshAt === after.lastRefreshAt)).toBe(true);
    } finally {
      xt.fake.latencyMs = 0;
    }
    // the list shows the refresh too
    const [listed] = (await list()).filter((c) => c.provider === 'xt');
    expect(listed.lastRefreshAt).toEqual(expect.any(Number));
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['an Origin of another site', { origin: 'https://evil.example' }],
  ])(
    'refuses a DELETE and a refresh another site made (%s): 403, nothing changed',
    async (_, h) => {
      const headers = { accept: 'application/json', ...h };
      const del = await browser.request('DELETE', '/api/connections/tencent-ciam', headers);
      expect(del.status).toBe(403);
      expect(await del.json()).toMatchObject({ statusCode: 403, error: 'cross_site_request' });
      const refresh = await browser.post('/api/connections/xt/refresh', headers);
      expect(refresh.status).toBe(403);
      const form = await browser.post('/connections/tencent-ciam/disconnect', headers);
      expect(form.status).toBe(403);

      expect(tencent.fake.requestsTo('revoke')).toHaveLength(0);
      expect(xt.fake.grantCount('refresh_token')).toBe(0);
      expect((await list()).map((c) => c.provider)).toEqual(['tencent-ciam', 'xt']);
    },
  );

  it('answers an unknown provider with 404 provider_disabled, in the library error format', async () => {
    for (const res of [
      await browser.request('DELETE', '/api/connections/nope', own),
      await browser.post('/api/connections/nope/refresh', own),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        statusCode: 404,
        error: 'provider_disabled',
        message: expect.any(String),
        provider: 'nope',
      });
    }
  });

  it('answers a refresh of a provider the session does not hold with 401 login_required', async () => {
    const res = await browser.post('/api/connections/isolarcloud/refresh', own);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'login_required', provider: 'isolarcloud' });
    expect(iso.fake.count('refresh')).toBe(0);
  });

  it('is only for a logged-in browser: 401 without a session', async () => {
    const anonymous = new Browser(app.url);
    expect((await anonymous.get('/api/connections', { accept: 'application/json' })).status).toBe(
      401,
    );
    const del = await anonymous.request('DELETE', '/api/connections/xt', own);
    expect(del.status).toBe(401);
    expect(xt.fake.grantCount('refresh_token')).toBe(0);
  });

  it('works without JavaScript: the panel forms post, then 303 back to the page', async () => {
    const form = {
      ...own,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    };
    const refreshed = await browser.post('/connections/xt/refresh', form, '');
    expect(refreshed.status).toBe(303);
    expect(refreshed.headers.get('location')).toBe('/');
    expect(xt.fake.grantCount('refresh_token')).toBe(1);

    const gone = await browser.post('/connections/tencent-ciam/disconnect', form, '');
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toBe('/');
    expect(tencent.fake.requestsTo('revoke')).toHaveLength(1);
    expect((await list()).map((c) => c.provider)).toEqual(['xt']);
  });
});
