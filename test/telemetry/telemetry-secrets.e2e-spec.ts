import type { RecordedRequest } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import { OtelMemory } from '../support/otel-memory';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs } from '../tokens/refresh-knobs';
import { askToken, sessionIdOf, storedGrant } from '../tokens/token-apps';

/** Shorter values (`code`, `openid`, `GET`) are words, not secrets. */
const MIN_SECRET = 8;
const CONCURRENT = 6;
/** Every attribute name a span or a metric point of the library may carry. */
const ALLOWED_KEYS = new Set([
  'auth_code.provider',
  'auth_code.operation',
  'auth_code.outcome',
  'auth_code.error.cause',
  'auth_code.api.call',
  'error.type',
  'refresh.outcome',
  'refresh.waiters',
  'refresh.attempts',
  'http.request.method',
  'http.response.status_code',
  'server.address',
  'server.port',
  'url.full',
]);

/** Every string a request to the fake carried that could be a secret: parameters, credentials. */
function sentValues(req: RecordedRequest): string[] {
  const leaves = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : v && typeof v === 'object'
        ? Object.values(v).flatMap(leaves)
        : [];
  const credentials = ['authorization', 'x-access-key', 'cookie'].flatMap((h) => {
    const value = String(req.headers[h] ?? '');
    const [scheme, rest = ''] = value.split(' ');
    if (scheme.toLowerCase() === 'basic') {
      return [rest, ...Buffer.from(rest, 'base64').toString().split(':')];
    }
    return [value, rest];
  });
  return [...leaves(req.query), ...leaves(req.body), req.rawBody, ...credentials];
}

/** The query and fragment parameters of the authorize URL (state, nonce, PKCE challenge). */
function authorizeValues(url: URL): string[] {
  const fragment = url.hash.includes('?') ? url.hash.slice(url.hash.indexOf('?') + 1) : '';
  return [...url.searchParams.values(), ...new URLSearchParams(fragment).values()];
}

describe.each(SEED_FIXTURES)(
  'OpenTelemetry of a %s login, refresh, API call and logout',
  (_id, makeFixture) => {
    let otel: OtelMemory;
    let fx: ProviderFixture;
    let app: TestApp;

    beforeAll(async () => {
      otel = new OtelMemory().registerGlobal();
      fx = await makeFixture();
      app = await startTestApp({ providers: [fx.definition] });
    });
    afterAll(async () => {
      await app?.close();
      await fx?.fake.stop();
      await otel?.shutdown();
    });

    it('lists every operation as a span and puts no secret in any span or metric attribute', async () => {
      const knobs = refreshKnobs(fx);
      const secrets = new Set<string>();
      const keep = (values: Iterable<string | undefined>) => {
        for (const v of values) if (v && v.length >= MIN_SECRET) secrets.add(v);
      };
      const keepGrant = async (browser: Browser) => {
        const { accessToken, refreshToken, idToken } = (await storedGrant(app, browser, fx.id))!
          .tokenSet;
        keep([accessToken, refreshToken, idToken]);
      };

      knobs.setAccessTokenLifetime(30); // inside the 60 s skew: the next token request refreshes
      const browser = new Browser(app.url);
      const steps = await login(browser, fx.id, fx.fake);
      expect(steps.callback.status).toBe(302);
      knobs.setAccessTokenLifetime(3600);
      keep(authorizeValues(steps.authorizeUrl));
      keep(new URL(steps.callbackUrl).searchParams.values());
      keep([sessionIdOf(app, browser), ...browser.cookies.values()]);
      await keepGrant(browser);

      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, () => askToken(browser, fx.id)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT).fill(200));
      const shared = answers.filter((a) => a.body.refreshed === true).length;
      await keepGrant(browser);
      expect((await browser.get(`/api/${fx.id}/profile`)).status).toBe(200);
      expect((await browser.post('/auth/logout')).status).toBe(204);
      for (const req of fx.fake.requests) keep(sentValues(req));

      const spans = otel.spans();
      const names = new Set(spans.map((s) => s.name));
      for (const name of ['authorize', 'exchange', 'login', 'refresh', 'api']) {
        expect(names).toContain(`auth_code.${name}`);
      }
      if (fx.definition.revoke) expect(names).toContain('auth_code.revoke');
      const [refresh, ...otherRefreshes] = otel.spansNamed('auth_code.refresh');
      expect(otherRefreshes).toEqual([]);
      expect(knobs.refreshCalls()).toHaveLength(1);
      // every caller that was answered `refreshed` shared the one refresh: the first ran it
      expect(refresh.attributes).toMatchObject({
        'refresh.outcome': 'refreshed',
        'refresh.waiters': shared - 1,
      });
      const client = spans.filter((s) => s.attributes['http.request.method'] !== undefined);
      expect(client.length).toBeGreaterThanOrEqual(3);
      for (const s of client) expect(String(s.attributes['url.full'])).not.toMatch(/[?#@]/);

      const points = await otel.metrics();
      expect(points.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          'auth_code.operations',
          'auth_code.operation.duration',
          'auth_code.refresh.waiters',
          'http.client.request.duration',
        ]),
      );
      expect(secrets.size).toBeGreaterThanOrEqual(5);
      const reported = [
        ...spans.flatMap((s) => [
          s.name,
          s.status.message ?? '',
          ...Object.entries(s.attributes).flat(),
          ...s.events.flatMap((e) => [e.name, ...Object.entries(e.attributes ?? {}).flat()]),
        ]),
        ...points.flatMap((p) => [p.name, ...Object.entries(p.attributes).flat()]),
      ].map(String);
      const keys = [
        ...spans.flatMap((s) => Object.keys(s.attributes)),
        ...points.flatMap((p) => Object.keys(p.attributes)),
      ];
      expect(keys.filter((k) => !ALLOWED_KEYS.has(k))).toEqual([]);
      const leaks = reported.flatMap((text) =>
        [...secrets].filter((secret) => text.includes(secret)).map((secret) => ({ text, secret })),
      );
      expect(leaks).toEqual([]);
    });
  },
);
