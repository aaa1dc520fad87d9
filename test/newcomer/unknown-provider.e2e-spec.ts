import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { isolarcloudFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

describe.each(PLATFORMS)('routes of a provider that is not enabled, on %s', (platform) => {
  const seed = useSeedApp(isolarcloudFixture, { platform });

  it.each([
    ['/api/unknown/token', 'unknown'],
    ['/api/unknown/profile', 'unknown'],
    ['/api/xt/token', 'xt'],
    ['/api/tencent-ciam/profile', 'tencent-ciam'],
  ])('answers a logged-in user 404 provider_disabled at %s, not 401', async (path, provider) => {
    const browser = new Browser(seed.app.url);
    await login(browser, 'isolarcloud', seed.fx.fake);
    const res = await browser.get(path, { accept: 'application/json' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      statusCode: 404,
      error: 'provider_disabled',
      provider,
      message: `The provider "${provider}" is not enabled`,
    });
    // the session is untouched: the enabled provider still answers
    expect((await browser.get('/api/isolarcloud/token')).status).toBe(200);
  });
});
