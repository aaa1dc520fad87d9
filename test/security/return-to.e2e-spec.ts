import { Browser, onServer } from '../support/browser';
import { PLATFORMS } from '../support/platforms';
import { login } from '../support/login-flow';
import { pendingLogin } from '../support/http-steps';
import { xtFixture } from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** Values a browser could follow off-site (or into script), each must land on `/`. */
const EVIL = [
  'https://evil.example',
  '//evil.example',
  '/\\evil.example',
  '%2F%2Fevil.example',
  '/%2F/evil.example',
  'javascript:alert(1)',
  '\t//evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  ' //evil.example',
  '///evil.example',
  '\\\\evil.example',
  'https:evil.example',
  'http://localhost:3000@evil.example',
  'data:text/html,<script>alert(1)</script>',
  '/%0d%0aSet-Cookie:x=1',
];

/** SECURITY.md row 7: no open redirect through `returnTo`. */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe('returnTo after the callback', () => {
    const seed = useSeedApp(xtFixture, { platform });

    it.each(EVIL)('sends the browser to / for returnTo %j', async (returnTo) => {
      const steps = await login(new Browser(seed.app.url), seed.fx.id, seed.fx.fake, { returnTo });
      expect(steps.callback.status).toBe(302);
      expect(steps.callback.headers.get('location')).toBe('/');
    });

    it('sends the browser to / when returnTo is repeated', async () => {
      const browser = new Browser(seed.app.url);
      const start = await browser.get(
        `/auth/${seed.fx.id}/login?returnTo=/ok&returnTo=//evil.example`,
      );
      const back = await seed.fx.fake.consent(start.headers.get('location')!);
      const res = await browser.get(onServer(back, seed.app.url));
      expect(res.headers.get('location')).toBe('/');
    });

    it('keeps a same-origin path with its query', async () => {
      const steps = await login(new Browser(seed.app.url), seed.fx.id, seed.fx.fake, {
        returnTo: '/path?q=1',
      });
      expect(steps.callback.status).toBe(302);
      expect(steps.callback.headers.get('location')).toBe('/path?q=1');
    });

    it('keeps returnTo server-side: nothing of it travels to the provider', async () => {
      const { authorizeUrl } = await pendingLogin(
        new Browser(seed.app.url),
        seed.fx.id,
        seed.fx.fake,
        {
          returnTo: '/secret-place',
        },
      );
      expect(authorizeUrl.toString()).not.toContain('secret-place');
    });
  });
});
