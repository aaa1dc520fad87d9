import { TokenService } from 'nestjs-auth-code';
import { PLATFORMS } from '../support/platforms';
import type { FakeIsolarcloud } from 'nestjs-auth-code/testing';
import { API_FIXTURES, sessionIdOf, type ApiFixture } from '../support/api-fixtures';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { useSeedApp } from '../support/seed-app';
import { startTestApp, type TestApp } from '../support/test-app';

const HTML = { accept: 'text/html' };

/** The text content of the element carrying `data-testid`, tags stripped. */
function byTestId(html: string, testId: string): string | undefined {
  const m = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m?.[2].replace(/<[^>]+>/g, '').trim();
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('the sample home page (GET /)', () => {
    let fxs: ApiFixture[];
    let iso: ApiFixture;
    let app: TestApp;

    beforeAll(async () => {
      fxs = await Promise.all(API_FIXTURES.map(([, make]) => make()));
      iso = fxs[0];
      (iso.fake as FakeIsolarcloud).plants = [
        { id: '700667048', name: 'Rooftop <West>' },
        { id: '342472479', name: 'Barn array' },
      ];
      app = await startTestApp({
        platform,
        sameOrigin: true,
        providers: fxs.map((f) => f.definition),
      });
    });
    afterAll(async () => {
      await app?.close();
      await Promise.all(fxs.map((f) => f?.fake.stop()));
    });
    beforeEach(() => fxs.forEach((f) => f.fake.reset()));

    describe('for an anonymous visitor', () => {
      let res: Response;
      let html: string;
      beforeAll(async () => {
        res = await new Browser(app.url).get('/', HTML);
        html = await res.text();
      });

      it('is an HTML page nobody caches', () => {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.headers.get('cache-control')).toBe('no-store');
      });

      it('runs under a strict Content-Security-Policy (its one script and style by hash)', () => {
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(
          /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self';/,
        );
        expect(csp).not.toContain('unsafe');
      });

      it('offers one login button per enabled provider', () => {
        expect(html).toContain('id="anonymous"');
        for (const [id, name] of [
          ['isolarcloud', 'iSolarCloud'],
          ['tencent-ciam', 'Tencent Cloud CIAM'],
          ['xt', 'XT.COM'],
        ]) {
          expect(html).toContain(`data-testid="login-${id}" href="/auth/${id}/login"`);
          expect(byTestId(html, `login-${id}`)).toBe(`Log in with ${name}`);
        }
      });

      it('shows no profile, no logout and no demo marker outside demo mode', () => {
        expect(html).not.toContain('id="profile"');
        expect(html).not.toContain('id="logout-form"');
        expect(html).not.toContain('demo-banner');
        expect(html).not.toContain('demo-tag');
      });
    });

    it('passes a same-origin returnTo on to the login buttons', async () => {
      const html = await (await new Browser(app.url).get('/?returnTo=%2Fme%3Fa%3D1', HTML)).text();
      expect(html).toContain('href="/auth/xt/login?returnTo=%2Fme%3Fa%3D1"');
    });

    it.each(['//evil.example', 'https://evil.example/', '/\\evil'])(
      'drops an unsafe returnTo (%s)',
      async (returnTo) => {
        const html = await (
          await new Browser(app.url).get(`/?returnTo=${encodeURIComponent(returnTo)}`, HTML)
        ).text();
        expect(html).toContain('href="/auth/xt/login"');
        expect(html).not.toContain('evil');
      },
    );

    describe('after logging in with iSolarCloud', () => {
      let browser: Browser;
      let html: string;

      beforeEach(async () => {
        browser = new Browser(app.url);
        await login(browser, 'isolarcloud', iso.fake);
        html = await (await browser.get('/', HTML)).text();
      });

      it('shows the profile', () => {
        expect(html).not.toContain('id="anonymous"');
        expect(byTestId(html, 'profile-id')).toBe('408056');
        expect(byTestId(html, 'profile-name')).toBe('iSolarCloud user 408056');
        expect(byTestId(html, 'profile-provider')).toBe('isolarcloud');
      });

      it('lists the authorized plants with their names from the plant list (escaped)', () => {
        expect(byTestId(html, 'plant-700667048')).toBe('Rooftop &#60;West&#62; #700667048');
        expect(byTestId(html, 'plant-342472479')).toBe('Barn array #342472479');
        expect(html).not.toContain('<West>');
        expect(iso.fake.count('plants')).toBe(1);
      });

      it("shows the token's expiry as a machine-readable time", async () => {
        const grant = await app.app.get(TokenService).getGrant(sessionIdOf(browser), 'isolarcloud');
        const iso8601 = new Date(grant!.tokenSet.expiresAt).toISOString();
        expect(html).toContain(`data-testid="token-expiry-isolarcloud" datetime="${iso8601}"`);
        expect(byTestId(html, 'token-isolarcloud')).toContain('in 47 h');
      });

      it('offers the provider API call and a plain logout form', () => {
        expect(html).toContain(
          'data-testid="call-api-isolarcloud" data-api="isolarcloud" href="/api/isolarcloud/profile"',
        );
        expect(html).toContain('id="api-result-isolarcloud"');
        expect(html).toContain(
          '<form class="card" id="logout-form" method="post" action="/auth/logout">',
        );
        expect(html).toContain('data-testid="logout" type="submit"');
      });

      it('never shows a token or the session cookie', async () => {
        const grant = await app.app.get(TokenService).getGrant(sessionIdOf(browser), 'isolarcloud');
        expect(html).not.toContain(grant!.tokenSet.accessToken);
        expect(html).not.toContain(grant!.tokenSet.refreshToken!);
        expect(html).not.toContain(sessionIdOf(browser));
      });

      it('still renders, with the plant ids, when the plant list cannot be read', async () => {
        (iso.fake as FakeIsolarcloud).forceError('plants', 'E999');
        const page = await (await browser.get('/', HTML)).text();
        expect(byTestId(page, 'plants-error')).toContain('rate_limited');
        expect(byTestId(page, 'plant-342472479')).toBe('(name unavailable) #342472479');
      });

      it('is anonymous again after the logout form is posted', async () => {
        const out = await browser.post(
          '/auth/logout',
          { ...HTML, 'content-type': 'application/x-www-form-urlencoded' },
          '',
        );
        expect(out.status).toBe(303);
        const page = await (await browser.get(out.headers.get('location')!, HTML)).text();
        expect(page).toContain('id="anonymous"');
        expect(page).not.toContain('id="profile"');
      });
    });

    it('lists every linked provider with its expiry, and shows an e-mail when the provider gives one', async () => {
      const browser = new Browser(app.url);
      await login(browser, 'tencent-ciam', fxs[1].fake);
      await login(browser, 'xt', fxs[2].fake);
      const html = await (await browser.get('/', HTML)).text();
      expect(byTestId(html, 'profile-name')).toBe('Mock User');
      expect(byTestId(html, 'profile-email')).toBe('mock.user@example.com');
      expect(html).not.toContain('id="plants"');
      expect(html).toMatch(
        /data-testid="token-expiry-tencent-ciam" datetime="\d{4}-\d\d-\d\dT[\d:.]+Z"/,
      );
      expect(html).toMatch(/data-testid="token-expiry-xt" datetime="\d{4}-\d\d-\d\dT[\d:.]+Z"/);
      expect(html.indexOf('token-tencent-ciam')).toBeLessThan(html.indexOf('token-xt'));
      // the Connected-accounts panel shows every linked identity, not only the first login's
      expect(byTestId(html, 'connection-who-tencent-ciam')).toBe('Mock User #MOCK_USERNAME');
      expect(byTestId(html, 'connection-who-xt')).toBe(`Fake XT user #${fxs[2].userId}`);
      expect(byTestId(html, 'connection-status-xt')).toBe('connected');
      expect(html).toContain(
        'data-testid="connect-isolarcloud" href="/auth/isolarcloud/login?returnTo=%2F"',
      );
    });
  });

  describe('the sample home page in demo mode', () => {
    const seed = useSeedApp(API_FIXTURES[2][1], { platform, demo: true, sameOrigin: true });

    it('says so, and marks the login buttons as demo providers', async () => {
      const html = await (await new Browser(seed.app.url).get('/', HTML)).text();
      expect(byTestId(html, 'demo-banner')).toContain('Demo mode');
      expect(byTestId(html, 'login-xt')).toBe('Log in with XT.COMdemo');
    });
  });
});
