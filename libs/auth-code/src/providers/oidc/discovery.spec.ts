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

  describe('PAR, DPoP and logout from discovery', () => {
    const withDoc = (extra: Record<string, unknown>) => {
      fake.knobs.discovery = (doc) => ({ ...doc, ...extra });
    };
    it("pushes with par 'auto' only when discovery requires it, with true whenever it lists the endpoint", async () => {
      withDoc({ pushed_authorization_request_endpoint: `${fake.url}/par` });
      await expect(provider().resolve()).resolves.toMatchObject({
        authorize: { pushed: undefined },
      });
      await expect(provider({ par: true }).resolve()).resolves.toMatchObject({
        authorize: { pushed: { url: `${fake.url}/par` } },
      });
      withDoc({
        pushed_authorization_request_endpoint: `${fake.url}/par`,
        require_pushed_authorization_requests: true,
      });
      await expect(provider().resolve()).resolves.toMatchObject({
        authorize: { pushed: { url: `${fake.url}/par` } },
      });
      await expect(provider({ par: false }).resolve()).resolves.toMatchObject({
        authorize: { pushed: undefined },
      });
    });

    it('answers 503 naming the metadata when PAR is asked for and discovery has no endpoint', async () => {
      const error = await provider({ par: true })
        .resolve()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'provider_unavailable',
        status: 503,
        operation: 'discovery',
      });
      expect((error as Error).message).toMatch(
        /configured for pushed authorization requests, but its discovery document has no pushed_authorization_request_endpoint/,
      );
    });

    it('uses DPoP only when asked for, refusing an algorithm the provider does not list', async () => {
      withDoc({ dpop_signing_alg_values_supported: ['ES256', 'EdDSA'] });
      await expect(provider().resolve()).resolves.toMatchObject({ dpop: undefined });
      await expect(provider({ dpop: true }).resolve()).resolves.toMatchObject({
        dpop: { alg: 'ES256' },
      });
      await expect(provider({ dpop: { alg: 'EdDSA' } }).resolve()).resolves.toMatchObject({
        dpop: { alg: 'EdDSA' },
      });
      const error = await provider({ dpop: { alg: 'PS256' } })
        .resolve()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
      expect((error as Error).message).toMatch(/"PS256" in dpop_signing_alg_values_supported/);
      expect(() => provider({ dpop: { alg: 'HS256' as never } })).toThrow(
        /dpop.alg must be one of/,
      );
    });

    it('takes end_session_endpoint and back-channel logout from discovery unless turned off', async () => {
      withDoc({
        end_session_endpoint: `${fake.url}/logout`,
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
      });
      const def = await provider().resolve();
      expect(def.endSession).toEqual({ url: `${fake.url}/logout` });
      expect(def.logoutToken).toMatchObject({ sessionSupported: true });
      const off = await provider({ endSession: false, backchannelLogout: false }).resolve();
      expect(off.endSession).toBeUndefined();
      expect(off.logoutToken).toBeUndefined();
      withDoc({ backchannel_logout_supported: false });
      expect((await provider().resolve()).logoutToken).toBeUndefined();
    });
  });
});
