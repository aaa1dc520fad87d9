import { Browser, onServer } from '../support/browser';
import { startLogin } from '../support/login-flow';
import { PLATFORMS } from '../support/platforms';
import { xtFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';
import { TEST_BASE_URL } from '../support/test-app';

/**
 * The app's base URL is http://localhost:3000 (TEST_BASE_URL) but the browser opened it at
 * http://127.0.0.1:<port>, as a newcomer does who copies the address from the log.
 */
describe.each(PLATFORMS)('a browser at another address than the base URL, on %s', (platform) => {
  const seed = useSeedApp(xtFixture, { platform });

  it('is told on the home page where to open the app, and its login buttons start there', async () => {
    const res = await new Browser(seed.app.url).get('/', { accept: 'text/html' });
    const html = await res.text();
    const opened = new URL(seed.app.url).host;
    expect(html).toContain(`you opened this app at http://${opened}, but it is configured for`);
    expect(html).toContain(`<a href="${TEST_BASE_URL}/">${TEST_BASE_URL}</a> (AUTH_BASE_URL)`);
    expect(html).toContain(`data-testid="login-xt" href="${TEST_BASE_URL}/auth/xt/login"`);
  });

  it('is told at the callback that the login began at another address, naming the base URL', async () => {
    const started = new Browser(seed.app.url);
    const authorizeUrl = await startLogin(started, 'xt');
    const back = await seed.fx.fake.consent(authorizeUrl.toString());
    // the provider sends the browser to the base URL, where the attempt's cookie was never set
    const elsewhere = new Browser(seed.app.url);
    const res = await elsewhere.get(onServer(back, seed.app.url), { accept: 'application/json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_state',
      message:
        `The login attempt was started in another browser, at another address than ` +
        `${TEST_BASE_URL}, or this browser has started several newer ones since; ` +
        `open ${TEST_BASE_URL} and start the login again there`,
    });
  });
});

describe('a browser at the base URL', () => {
  const seed = useSeedApp(xtFixture, { sameOrigin: true });

  it('sees no address warning and relative login buttons', async () => {
    const html = await (await new Browser(seed.app.url).get('/')).text();
    expect(html).not.toContain('origin-warning');
    expect(html).toContain('data-testid="login-xt" href="/auth/xt/login"');
  });
});
