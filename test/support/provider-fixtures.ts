import { isolarcloud, tencentCiam, xt, type ProviderDefinition } from 'nestjs-auth-code';
import {
  FakeIsolarcloud,
  FakeTencentCiam,
  FakeXt,
  type FakeServer,
  type RecordedRequest,
} from 'nestjs-auth-code/testing';
import { TEST_BASE_URL } from './test-app';

/** One seed provider wired to its fake, and what its documents say the wire must look like. */
export interface ProviderFixture<F extends FakeServer = FakeServer> {
  /** Provider id. */
  id: string;
  /** The running fake. */
  fake: F;
  /** The definition pointing at the fake. */
  definition: ProviderDefinition;
  /** The redirect URI registered at the fake. */
  redirectUri: string;
  /** Name of the fake's route that exchanges codes and of the one that refreshes. */
  routes: { token: string; refresh: string };
  /** Asserts the authorize URL has exactly the documented shape; returns the state. */
  expectAuthorizeShape(url: URL): string;
  /** Asserts the recorded token request is exactly the documented one. */
  expectExchangeRequest(req: RecordedRequest, code: string): void;
  /** The profile id the fake's user has. */
  userId: string;
}

const redirect = (id: string) => `${TEST_BASE_URL}/auth/${id}/callback`;

/** iSolarCloud against its fake. */
export async function isolarcloudFixture(): Promise<ProviderFixture<FakeIsolarcloud>> {
  const redirectUri = redirect('isolarcloud');
  const fake = new FakeIsolarcloud({ redirectUri });
  const url = await fake.start();
  return {
    id: 'isolarcloud',
    fake,
    redirectUri,
    routes: { token: 'token', refresh: 'refresh' },
    userId: String(fake.userId),
    definition: isolarcloud({
      appKey: fake.appKey,
      secretKey: fake.secretKey,
      applicationId: fake.applicationId,
      redirectUri,
      gatewayUrl: url,
      loginUrl: url,
    }),
    expectAuthorizeShape(u) {
      // state in the real query before '#', camelCase parameters in the fragment.
      expect([...u.searchParams.keys()]).toEqual(['state']);
      expect(u.hash.startsWith('#/authorized-app?')).toBe(true);
      const frag = new URLSearchParams(u.hash.slice(u.hash.indexOf('?') + 1));
      expect(Object.fromEntries(frag)).toEqual({
        cloudId: '2',
        applicationId: fake.applicationId,
        redirectUrl: redirectUri,
      });
      return u.searchParams.get('state')!;
    },
    expectExchangeRequest(req, code) {
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toContain('application/json');
      expect(req.headers['x-access-key']).toBe(fake.secretKey);
      expect(req.headers.authorization).toBeUndefined();
      expect(req.body).toEqual({
        appkey: fake.appKey,
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      });
    },
  };
}

/** Tencent Cloud CIAM (client_secret_post) against its fake. */
export async function tencentFixture(): Promise<ProviderFixture<FakeTencentCiam>> {
  const redirectUri = redirect('tencent-ciam');
  const fake = new FakeTencentCiam({ redirectUris: [redirectUri] });
  const url = await fake.start();
  return {
    id: 'tencent-ciam',
    fake,
    redirectUri,
    routes: { token: 'token', refresh: 'token' },
    userId: 'MOCK_USERNAME',
    definition: tencentCiam({
      issuer: url,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri,
    }),
    expectAuthorizeShape(u) {
      expect(`${u.origin}${u.pathname}`).toBe(`${url}/oauth2/authorize`);
      const p = Object.fromEntries(u.searchParams);
      expect(p).toEqual({
        response_type: 'code',
        client_id: fake.clientId,
        redirect_uri: redirectUri,
        scope: 'openid',
        nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      return p.state;
    },
    expectExchangeRequest(req, code) {
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(req.headers.authorization).toBeUndefined();
      expect(req.body).toEqual({
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      });
    },
  };
}

/** XT.COM against its fake. */
export async function xtFixture(): Promise<ProviderFixture<FakeXt>> {
  const redirectUri = redirect('xt');
  const fake = new FakeXt({ redirectUri });
  await fake.start();
  const options = fake.providerOptions(redirectUri);
  return {
    id: 'xt',
    fake,
    redirectUri,
    routes: { token: 'token', refresh: 'token' },
    userId: fake.userId,
    definition: xt(options),
    expectAuthorizeShape(u) {
      expect(`${u.origin}${u.pathname}`).toBe(options.authorizeUrl);
      const p = Object.fromEntries(u.searchParams);
      expect(p).toEqual({
        response_type: 'code',
        client_id: fake.clientId,
        redirect_uri: redirectUri,
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      return p.state;
    },
    expectExchangeRequest(req, code) {
      // deviates from RFC 6749: a GET, credentials in the query, no redirect_uri, no body.
      expect(req.method).toBe('GET');
      expect(req.rawBody).toBe('');
      expect(req.query).toEqual({
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        grant_type: 'authorization_code',
        code,
      });
    },
  };
}

/** Every seed provider, for `describe.each`. */
export const SEED_FIXTURES = [
  ['isolarcloud', isolarcloudFixture],
  ['tencent-ciam', tencentFixture],
  ['xt', xtFixture],
] as const;
