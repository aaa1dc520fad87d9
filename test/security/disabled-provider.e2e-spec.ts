import { FakeXt } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { startEnvApp, xtEnvironment } from '../support/env-app';
import { isolarcloudFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import type { TestApp } from '../support/test-app';

async function expectDisabled(app: TestApp, path: string, provider: string): Promise<void> {
  const browser = new Browser(app.url);
  const res = await browser.get(path, { accept: 'application/json' });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({
    statusCode: 404,
    error: 'provider_disabled',
    provider,
    message: `The provider "${provider}" is not enabled`,
  });
  expect(res.headers.getSetCookie()).toEqual([]);
}

describe('a provider that is not enabled (options)', () => {
  const seed = useSeedApp(isolarcloudFixture);

  it.each([
    ['/auth/unknown/login', 'unknown'],
    ['/auth/unknown/callback?code=a&state=b', 'unknown'],
    ['/auth/xt/login', 'xt'],
    ['/auth/tencent-ciam/callback?code=a&state=b', 'tencent-ciam'],
  ])('answers 404 JSON at %s', (path, provider) => expectDisabled(seed.app, path, provider));

  it('shows a browser an HTML 404 that does not reflect markup from the path', async () => {
    const res = await new Browser(seed.app.url).get(
      `/auth/${encodeURIComponent('<script>x</script>')}/login`,
      {
        accept: 'text/html',
      },
    );
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('is not enabled');
    expect(html).not.toContain('<script>');
  });
});

describe('a provider whose credentials are not in the environment', () => {
  let fake: FakeXt;
  let app: TestApp;

  beforeAll(async () => {
    fake = new FakeXt();
    await fake.start();
    app = await startEnvApp(xtEnvironment(fake));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('enables the configured one', async () => {
    const res = await new Browser(app.url).get('/auth/xt/login');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain(fake.url);
  });

  it.each(['isolarcloud', 'tencent-ciam', 'oidc'])('answers 404 JSON for %s', (provider) =>
    expectDisabled(app, `/auth/${provider}/login`, provider),
  );
});
