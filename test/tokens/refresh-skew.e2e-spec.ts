import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from './refresh-knobs';
import { askToken, closeAll, loginOn } from './token-apps';

/**
 * SECURITY row 19 at app level: a token is refreshed once `expiresAt - skew` has passed (default
 * skew 60 s, plus up to 5 s of random jitter), and not before.
 */
describe.each(SEED_FIXTURES)('refresh skew with %s', (_id, makeFixture) => {
  let fx: ProviderFixture;
  let knobs: RefreshKnobs;
  let app: TestApp;
  let wideSkew: TestApp;

  beforeAll(async () => {
    fx = await makeFixture();
    knobs = refreshKnobs(fx);
    app = await startTestApp({ providers: [fx.definition] });
    wideSkew = await startTestApp({ providers: [fx.definition], refreshSkewSeconds: 120 });
  });
  afterAll(async () => {
    await closeAll([app, wideSkew]);
    await fx?.fake.stop();
  });
  beforeEach(() => fx.fake.reset());

  /** Logs in on `on` with tokens living `lifetime` s; refreshes would issue 1-hour tokens. */
  async function loginWithLifetime(on: TestApp, lifetime: number) {
    knobs.setAccessTokenLifetime(lifetime);
    const browser = await loginOn(on, fx);
    knobs.setAccessTokenLifetime(3600);
    const me = await (await browser.get('/me')).json();
    return { browser, storedExpiry: me.providers[fx.id].expiresAt as number };
  }

  it('refreshes a token that expires within the default 60 s skew window', async () => {
    const { browser, storedExpiry } = await loginWithLifetime(app, 59);
    const answer = await askToken(browser, fx.id);
    expect(answer).toMatchObject({ status: 200, body: { refreshed: true } });
    expect(answer.body.expiresAt).toBeGreaterThan(storedExpiry);
    expect(knobs.refreshCalls()).toHaveLength(1);
  });

  it('does not refresh a token that expires after the skew window and its jitter', async () => {
    const { browser, storedExpiry } = await loginWithLifetime(app, 70);
    const answer = await askToken(browser, fx.id);
    expect(answer.body).toEqual({ provider: fx.id, expiresAt: storedExpiry, refreshed: false });
    expect(knobs.refreshCalls()).toHaveLength(0);
  });

  it('uses the configured refreshSkewSeconds', async () => {
    const { browser } = await loginWithLifetime(wideSkew, 90);
    expect((await askToken(browser, fx.id)).body.refreshed).toBe(true);
    expect(knobs.refreshCalls()).toHaveLength(1);
  });
});
