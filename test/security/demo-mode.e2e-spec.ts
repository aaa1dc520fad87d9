import { Logger } from '@nestjs/common';
import type { RunningProviderFakes } from 'nestjs-auth-code/testing';
import { startDemoProviders } from '../../apps/sample/src/demo/demo-providers';
import { Browser } from '../support/browser';
import { CapturingLogger } from '../support/capturing-logger';
import { startEnvApp } from '../support/env-app';
import { login } from '../support/login-flow';
import type { TestApp } from '../support/test-app';

const PROVIDERS = ['isolarcloud', 'tencent-ciam', 'xt'] as const;
const logs = new CapturingLogger();

describe('demo mode with an empty environment', () => {
  const env: Record<string, string | undefined> = {};
  let demo: RunningProviderFakes | undefined;
  let app: TestApp;

  beforeAll(async () => {
    Logger.overrideLogger(logs);
    demo = await startDemoProviders(env);
    app = await startEnvApp(env);
  });
  afterAll(async () => {
    await app?.close();
    await demo?.stop();
  });

  const fakeOf = (id: string) => demo!.fakes.get(id)!;

  it('starts the three fakes, says so, and points the environment at them', () => {
    expect([...demo!.fakes.keys()]).toEqual([...PROVIDERS]);
    const urls = [...demo!.fakes.values()].map((f) => f.url);
    expect(env.ISOLARCLOUD_GATEWAY_URL).toBe(urls[0]);
    expect(env.TENCENT_CIAM_ISSUER).toBe(urls[1]);
    expect(env.XT_API_URL).toBe(urls[2]);
    expect(
      logs.lines.some((l) => l.startsWith('warn Demo mode:') && l.includes('AUTH_DEMO=off')),
    ).toBe(true);
  });

  it.each(PROVIDERS)('enables %s at its fake', async (provider) => {
    const res = await new Browser(app.url).get(`/auth/${provider}/login`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')!.startsWith(fakeOf(provider).url)).toBe(true);
  });

  it.each(PROVIDERS)('logs in with %s end to end', async (provider) => {
    const browser = new Browser(app.url);
    const { callback } = await login(browser, provider, fakeOf(provider));
    expect(callback.status).toBe(302);
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect((await me.json()).user.provider).toBe(provider);
  });
});

describe('demo mode stays off', () => {
  it.each([
    'ISOLARCLOUD_APP_KEY',
    'TENCENT_CIAM_CLIENT_ID',
    'XT_CLIENT_ID',
    'OIDC_ISSUER',
    'OIDC_CLIENT_ID',
  ])('when %s is set', async (variable) => {
    const env = { [variable]: 'configured' };
    expect(await startDemoProviders(env)).toBeUndefined();
    expect(env).toEqual({ [variable]: 'configured' });
  });

  it('when AUTH_DEMO=off', async () => {
    const env = { AUTH_DEMO: 'off' };
    expect(await startDemoProviders(env)).toBeUndefined();
    expect(env).toEqual({ AUTH_DEMO: 'off' });
  });
});
