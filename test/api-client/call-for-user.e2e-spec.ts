import { LoginRequiredError, ProviderApiClient } from 'nestjs-auth-code';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { rejectionOf } from '../support/rejection';
import { startTestApp, type TestApp } from '../support/test-app';
import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';

describe('ProviderApiClient.callForUser (a user-scoped iSolarCloud connection, no request)', () => {
  let fx: ProviderFixture<FakeIsolarcloud>;
  let app: TestApp;
  let client: ProviderApiClient;
  const userKey = () => `isolarcloud:${fx.fake.userId}`;

  beforeAll(async () => {
    fx = await isolarcloudFixture();
    app = await startTestApp({
      providers: [fx.definition],
      grantScope: 'user',
      plantMonitorSeconds: 0,
    });
    client = app.app.get(ProviderApiClient);
  });
  afterAll(async () => {
    await app?.close();
    await fx?.fake.stop();
  });

  it('reads the plants with the connection after logout, without any refresh while the token is fresh', async () => {
    const browser = new Browser(app.url);
    await login(browser, fx.id, fx.fake);
    await browser.post('/auth/logout', { accept: 'application/json' });
    const plants = await client.callForUser<{ rowCount: number }>(userKey(), fx.id, 'plants');
    expect(plants.rowCount).toBe(fx.fake.plants.length);
    expect(fx.fake.count('refresh')).toBe(0);
  });

  it('refreshes once and tries again when the provider says the token is dead (E00003)', async () => {
    fx.fake.expireAccessTokens(); // dead at the provider, still fresh by its expiry here
    const plants = await client.callForUser<{ rowCount: number }>(userKey(), fx.id, 'plants');
    expect(plants.rowCount).toBe(fx.fake.plants.length);
    expect(fx.fake.count('refresh')).toBe(1);
    expect(fx.fake.count('plants')).toBe(3); // one before, the refused one, the retry
  });

  it('is login_required for a user without a connection', async () => {
    const err = await rejectionOf(
      client.callForUser('isolarcloud:nobody', fx.id, 'plants'),
      LoginRequiredError,
    );
    expect(err.code).toBe('login_required');
  });
});
