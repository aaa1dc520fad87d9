import { HttpClient } from '../../engine/http-client';
import { ConfigurationError, ServiceUnavailableError } from '../../errors/auth-code.errors';
import { FakeOidc } from '../../testing/fake-oidc.fake';
import { oidc, type OidcOptions } from './oidc.provider';

describe('oidc() discovery', () => {
  const fake = new FakeOidc('rp-client');

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const provider = (extra: Partial<OidcOptions> = {}) =>
    oidc({
      issuer: fake.url,
      clientId: 'rp-client',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:9/cb',
      ...extra,
    });

  it('refuses a discovery document that names another issuer, with a 503 saying both', async () => {
    fake.knobs.discoveryIssuer = `${fake.url}/`;
    const error = await provider()
      .resolve()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({
      code: 'provider_unavailable',
      status: 503,
      operation: 'discovery',
    });
    expect((error as Error).message).toContain(
      `names the issuer "${fake.url}/", not the configured ${fake.url}`,
    );
  });

  it('answers 503 while discovery fails, and fetches it again on the next call', async () => {
    fake.injectFault('discovery', 'status-503');
    const p = provider();
    const error = await p.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
    expect((error as Error).message).toMatch(/could not be read \(HTTP 503\)/);
    await expect(p.resolve()).resolves.toMatchObject({ issuer: fake.url });
    expect(fake.count('discovery')).toBe(2);
  });

  it('answers 503 when discovery does not answer within the timeout', async () => {
    fake.injectFault('discovery', 'hang');
    const error = await provider({ http: new HttpClient({ timeoutMs: 200 }) })
      .resolve()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
    expect((error as Error).message).toMatch(/did not answer the discovery request within 200 ms/);
  });

  it('fetches discovery once for concurrent and later calls within the TTL', async () => {
    const p = provider();
    const [a, b] = await Promise.all([p.resolve(), p.resolve()]);
    const c = await p.resolve();
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(fake.count('discovery')).toBe(1);
  });

  it('keeps using the last good document while discovery is down after the TTL', async () => {
    const p = provider({ discoveryTtlMs: 0 });
    const first = await p.resolve();
    fake.injectFault('discovery', 'html-502');
    await expect(p.resolve()).resolves.toBe(first);
    expect(fake.count('discovery')).toBe(2);
  });

  it('refuses at configuration time a client authentication method without a secret', () => {
    expect(() => provider({ clientSecret: undefined, authMethod: 'client_secret_post' })).toThrow(
      /authMethod client_secret_post needs a clientSecret/,
    );
  });

  it('uses PKCE for a confidential client when discovery lists S256, and always for a public one', async () => {
    await expect(provider().resolve()).resolves.toMatchObject({ pkce: true });
    await expect(provider({ pkce: false }).resolve()).resolves.toMatchObject({ pkce: false });
    fake.knobs.discovery = ({ code_challenge_methods_supported: _m, ...doc }) => doc;
    await expect(provider().resolve()).resolves.toMatchObject({ pkce: false });
    await expect(provider({ clientSecret: undefined }).resolve()).resolves.toMatchObject({
      pkce: true,
      token: { exchange: { clientAuth: 'none' } },
    });
  });

  it('leaves out userinfo, revocation and the callback iss requirement when not advertised', async () => {
    fake.knobs.discovery = ({
      userinfo_endpoint: _u,
      revocation_endpoint: _r,
      authorization_response_iss_parameter_supported: _i,
      ...doc
    }) => doc;
    const def = await provider().resolve();
    expect(def.userinfo).toBeUndefined();
    expect(def.revoke).toBeUndefined();
    expect(def.requireCallbackIss).toBe(false);
  });
});
