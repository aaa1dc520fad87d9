import fc from 'fast-check';
import { Browser, onServer } from '../support/browser';
import { fuzzRuns } from '../support/fuzz';
import { HostileProvider, hostileLogin } from '../support/hostile-provider';
import { startTestApp, type TestApp } from '../support/test-app';

/** Printable ASCII, the most a header value or a raw URL carries. */
const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
/** Text as a browser may send it: unicode, percent tricks, slashes, long runs. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  ascii,
  fc.constantFrom(
    '//evil',
    '/\\evil',
    '%2F%2Fevil',
    'javascript:alert(1)',
    '\t//evil',
    '/%0d%0a',
    '%',
    '%ZZ',
    '/ok?x#y',
  ),
  fc.integer({ min: 1, max: 12_000 }).map((n) => 'a'.repeat(n)),
);
/** A query value put in a URL: encoded, or raw (malformed percent-encodings included). */
const queryValue = fc.oneof(
  hostileText.map((v) => encodeURIComponent(v)),
  ascii.map((v) => v.replace(/[#&\s]/g, '')),
);

/** No live session cookie in an answer. */
const setsSession = (res: Response) =>
  res.headers.getSetCookie().some((c) => c.startsWith('auth_session=') && !c.includes('Max-Age=0'));

/**
 * Issue 9 fuzz, against the running sample app: provider ids in the route, callback parameters,
 * `returnTo` and Cookie headers chosen by a hostile browser never make the app answer 500 or
 * more, never store anything, never reach the token endpoint without a valid login attempt, and a
 * login always returns to a same-origin path. Seeded: see test/support/fuzz.ts to reproduce.
 */
describe('hostile browser input (fuzz)', () => {
  const hostile = new HostileProvider();
  let app: TestApp;

  beforeAll(async () => {
    await hostile.start();
    app = await startTestApp({ providers: [hostile.definition()], rateLimit: 1_000_000 });
  });
  afterAll(async () => {
    await app?.close();
    await hostile.stop();
  });
  beforeEach(() => hostile.reset());

  it('provider ids in the route: 302 for the real one, a small 4xx for any other', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileText.map(encodeURIComponent),
          ascii.map((v) => v.replace(/[/?#\\]/g, '')),
        ),
        async (id) => {
          const res = await fetch(`${app.url}/auth/${id}/login`, {
            redirect: 'manual',
            headers: { accept: 'application/json' },
          });
          const body = await res.text();
          if (res.status === 302) return;
          expect([400, 404, 414, 431]).toContain(res.status);
          expect(body.length).toBeLessThan(2048);
        },
      ),
      fuzzRuns(120),
    );
  });

  it('callback parameters: a 4xx, nothing stored, no token call', async () => {
    const param = fc.tuple(
      fc.oneof(
        fc.constantFrom('code', 'state', 'error', 'error_description', 'iss', 'code[]', 'state[a]'),
        ascii.map(encodeURIComponent),
      ),
      queryValue,
    );
    const cookie = fc.oneof(
      fc.constant(''),
      ascii.map((v) => `auth_tx_${v.replace(/[;=\s]/g, '')}=${v.replace(/;/g, '')}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(param, { maxLength: 6 }), cookie, async (params, cookieHeader) => {
        const query = params.map(([k, v]) => `${k}=${v}`).join('&');
        const res = await fetch(`${app.url}/auth/hostile/callback?${query}`, {
          redirect: 'manual',
          headers: {
            accept: 'application/json',
            ...(cookieHeader ? { cookie: cookieHeader } : {}),
          },
        });
        await res.arrayBuffer();
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(setsSession(res)).toBe(false);
      }),
      fuzzRuns(150),
    );
    expect(hostile.requests).toHaveLength(0);
  });

  it('returnTo: every login returns to a same-origin path', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (returnTo) => {
        const browser = new Browser(app.url);
        const start = await browser.get(
          `/auth/hostile/login?returnTo=${encodeURIComponent(returnTo)}`,
        );
        expect(start.status).toBe(302);
        const approved = await fetch(start.headers.get('location')!, { redirect: 'manual' });
        const callback = await browser.get(onServer(approved.headers.get('location')!, app.url));
        expect(callback.status).toBe(302);
        const location = callback.headers.get('location')!;
        expect(location.startsWith('/')).toBe(true);
        expect(new URL(location, 'http://same.origin').origin).toBe('http://same.origin');
      }),
      fuzzRuns(40),
    );
  });

  it('Cookie headers: GET / renders, /me refuses, nothing is a 5xx', async () => {
    const pair = fc.tuple(
      fc.oneof(
        fc.constantFrom('auth_session', 'auth_tx_x', '__Host-auth_session'),
        ascii.map((v) => v.replace(/[;=\s]/g, '')),
      ),
      fc.oneof(
        ascii.map((v) => v.replace(/;/g, '')),
        fc.integer({ min: 1, max: 7000 }).map((n) => 'a.'.repeat(n)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { maxLength: 5 }), async (pairs) => {
        const cookie = pairs.map(([k, v]) => `${k}=${v}`).join('; ');
        const headers: Record<string, string> = cookie ? { cookie } : {};
        const home = await fetch(`${app.url}/`, { headers: { ...headers, accept: 'text/html' } });
        await home.arrayBuffer();
        expect([200, 431]).toContain(home.status);
        const me = await fetch(`${app.url}/me`, {
          headers: { ...headers, accept: 'application/json' },
        });
        await me.arrayBuffer();
        expect([401, 431]).toContain(me.status);
      }),
      fuzzRuns(120),
    );
  });

  it('still logs in after the fuzz', async () => {
    expect((await hostileLogin(new Browser(app.url))).status).toBe(302);
  });
});
