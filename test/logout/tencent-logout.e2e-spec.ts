import type { FakeTencentCiam } from 'nestjs-auth-code/testing';
import { Browser, onServer } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { tencentFixture, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, TEST_BASE_URL, type TestApp } from '../support/test-app';

const RETURN_URI = `${TEST_BASE_URL}/auth/logout/return`;
const HTML = { accept: 'text/html' };

/**
 * Tencent Cloud CIAM's portal logout (`GET /logout?client_id&logout_redirect_uri&state`), data in
 * its definition, against its fake: with logout at the provider on for `tencent-ciam`, a
 * browser's logout goes through the portal's logout and back with its state.
 */
describe.each(PLATFORMS)('logout at Tencent Cloud CIAM, against its fake (%s)', (platform) => {
  let tencent: ProviderFixture<FakeTencentCiam>;
  let app: TestApp;

  beforeAll(async () => {
    tencent = await tencentFixture();
    app = await startTestApp({
      platform,
      providers: [tencent.definition],
      providerLogout: ['tencent-ciam'],
    });
  });
  afterAll(async () => {
    await app?.close();
    await tencent?.fake.stop();
  });

  it('sends the browser to the portal logout and lands on / with the state it left with', async () => {
    const browser = new Browser(app.url);
    const steps = await login(browser, 'tencent-ciam', tencent.fake);
    expect(steps.callback.status).toBe(302);

    const logout = await browser.post('/auth/logout', HTML);
    expect(logout.status).toBe(303);
    const portal = new URL(logout.headers.get('location')!);
    expect(`${portal.origin}${portal.pathname}`).toBe(`${tencent.fake.url}/logout`);
    expect(Object.fromEntries(portal.searchParams)).toEqual({
      client_id: tencent.fake.clientId,
      logout_redirect_uri: RETURN_URI,
      state: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect((await browser.get('/me')).status).toBe(401);

    const answer = await fetch(portal, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_URI);
    expect(back.searchParams.get('state')).toBe(portal.searchParams.get('state'));
    expect(tencent.fake.count('logout')).toBe(1);

    const landed = await browser.get(onServer(back.toString(), app.url), HTML);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
  });
});

describe('logout at the provider, for listed providers only', () => {
  let tencent: ProviderFixture<FakeTencentCiam>;
  let app: TestApp;

  beforeAll(async () => {
    tencent = await tencentFixture();
    app = await startTestApp({ providers: [tencent.definition], providerLogout: ['oidc'] });
  });
  afterAll(async () => {
    await app?.close();
    await tencent?.fake.stop();
  });

  it('ends a Tencent session here only when the list names another provider', async () => {
    const browser = new Browser(app.url);
    await login(browser, 'tencent-ciam', tencent.fake);
    const logout = await browser.post('/auth/logout', HTML);
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('/');
    expect(tencent.fake.count('logout')).toBe(0);
  });
});
