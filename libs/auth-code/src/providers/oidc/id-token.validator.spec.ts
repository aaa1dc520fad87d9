import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import type { ProviderDefinition } from '../../core/provider-definition';
import type { Profile } from '../../core/profile';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { ConfigurationError, IdTokenError } from '../../errors/auth-code.errors';
import { FakeOidc } from '../../testing/fake-oidc.fake';
import { checkCallbackIssuer } from '../../engine/callback-issuer.check';
import { oidc, type OidcOptions } from './oidc.provider';

/**
 * One test per id_token check, modelled on the OpenID Foundation's Basic RP conformance plan:
 * a real HTTP fake OP signs deliberately bad id_tokens; every refusal happens before the token is
 * used (no userinfo call).
 */
describe('id_token validation against a misbehaving OpenID Provider', () => {
  // the fake checks client authentication and redirect_uri like a real OP: register what we send
  const fake = new FakeOidc({
    clientId: 'rp-client',
    clientSecret: 'rp-secret',
    redirectUris: ['http://127.0.0.1:9/callback'],
  });
  const engine = new AuthCodeEngine({ timeoutMs: 3000 });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  /** A fresh provider (fresh discovery and JWKS caches) for each test. */
  function provider(extra: Partial<OidcOptions> = {}): Promise<ProviderDefinition> {
    return oidc({
      issuer: fake.url,
      clientId: 'rp-client',
      clientSecret: 'rp-secret',
      redirectUri: 'http://127.0.0.1:9/callback',
      http: engine.http,
      ...extra,
    }).resolve();
  }

  /** What the callback route does: check iss, exchange (validating the id_token), then userinfo. */
  async function login(def: ProviderDefinition): Promise<Profile> {
    const nonce = randomToken();
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state: randomToken(),
      nonce,
      codeChallenge: s256Challenge(verifier),
    });
    const callback = new URL(await fake.consent(url));
    checkCallbackIssuer(def, callback.searchParams.get('iss') ?? undefined);
    const code = callback.searchParams.get('code') ?? '';
    const result = await engine.exchangeCode(def, { code, codeVerifier: verifier, nonce });
    return engine.profile(def, result);
  }

  async function expectRefused(reason: RegExp): Promise<void> {
    const error = await login(await provider()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect(error).toMatchObject({ code: 'invalid_id_token', status: 401, operation: 'exchange' });
    expect((error as Error).message).toMatch(reason);
    expect(fake.count('userinfo')).toBe(0);
  }

  it('accepts a correct RS256 id_token and builds the profile from claims and userinfo', async () => {
    const profile = await login(await provider());
    expect(profile).toEqual({
      provider: 'oidc',
      id: 'alice',
      displayName: 'Alice Example',
      email: 'alice@example.test',
    });
    expect(fake.count('userinfo')).toBe(1);
  });

  it('refuses an id_token from another issuer', async () => {
    fake.knobs.claims = (c) => ({ ...c, iss: 'https://evil.example' });
    await expectRefused(/"iss" is not/);
  });

  it('refuses an id_token without sub', async () => {
    fake.knobs.claims = ({ sub: _sub, ...c }) => c;
    await expectRefused(/no "sub"/);
  });

  it('refuses an id_token whose aud does not contain the client id', async () => {
    fake.knobs.claims = (c) => ({ ...c, aud: 'someone-else' });
    await expectRefused(/"aud" does not contain the client id rp-client/);
  });

  it('refuses an id_token for several audiences without azp naming the client', async () => {
    fake.knobs.claims = (c) => ({ ...c, aud: ['rp-client', 'other-client'] });
    await expectRefused(/"azp" is not the client id/);
  });

  it('refuses an id_token without iat', async () => {
    fake.knobs.claims = ({ iat: _iat, ...c }) => c;
    await expectRefused(/no "iat"/);
  });

  it('refuses an id_token with an invalid RS256 signature, and never calls userinfo', async () => {
    fake.knobs.signing = 'foreign-key';
    await expectRefused(/signature does not verify/);
  });

  it('refuses an unsigned id_token (alg none)', async () => {
    fake.knobs.signing = 'none';
    await expectRefused(/unsigned \(alg "none"\)/);
  });

  it('refuses an HS256 id_token signed with the public key as secret', async () => {
    fake.knobs.signing = 'hs256-public-key';
    await expectRefused(/algorithm "HS256" is not one of the allowed RS256/);
  });

  it('refuses an id_token whose nonce is not the one sent', async () => {
    fake.knobs.claims = (c) => ({ ...c, nonce: 'another-login' });
    await expectRefused(/"nonce" is not the one sent/);
  });

  it('refuses a login exchanged without the nonce it was started with', async () => {
    const def = await provider();
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state: 's',
      nonce: 'n',
      codeChallenge: s256Challenge(verifier),
    });
    const code = new URL(await fake.consent(url)).searchParams.get('code') ?? '';
    const error = await engine
      .exchangeCode(def, { code, codeVerifier: verifier })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid_id_token',
      message: expect.stringMatching(/sent no nonce/),
    });
  });

  it('refuses a userinfo answer for another sub than the id_token', async () => {
    fake.knobs.userinfoSub = 'mallory';
    const error = await login(await provider()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as Error).message).toMatch(/userinfo "sub" does not match the id_token "sub"/);
  });

  it('accepts an id_token without kid when the JWKS has exactly one key', async () => {
    fake.knobs.omitKid = true;
    await expect(login(await provider())).resolves.toMatchObject({ id: 'alice' });
  });

  it('refuses an id_token without kid when the JWKS has several keys', async () => {
    fake.addKey();
    fake.knobs.omitKid = true;
    await expectRefused(/no "kid" and the JWKS has 2 usable keys/);
  });

  it('fetches the JWKS once more when the signing key was rotated, then accepts', async () => {
    const def = await provider();
    await login(def);
    fake.rotateKey();
    await expect(login(def)).resolves.toMatchObject({ id: 'alice' });
    expect(fake.count('jwks')).toBe(2);
  });

  it('refuses an unknown kid after fetching the JWKS exactly once more', async () => {
    fake.knobs.kid = 'never-published';
    await expectRefused(/no key of the JWKS has its "kid" "never-published", even after fetching/);
    expect(fake.count('jwks')).toBe(2);
  });

  it('accepts iat 20 s in the future (within the 30 s tolerance)', async () => {
    fake.knobs.claims = (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 20 });
    await expect(login(await provider())).resolves.toMatchObject({ id: 'alice' });
  });

  // between the 30 s default and any loosened tolerance up to ~110 s: kills a widened default
  it('refuses iat 60 s in the future (beyond the 30 s default tolerance)', async () => {
    fake.knobs.claims = (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 60 });
    await expectRefused(/"iat" lies (59|60|61) s in the future/);
  });

  it('accepts iat 60 s in the future when the tolerance is configured to 90 s', async () => {
    fake.knobs.claims = (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 60 });
    const def = await provider({ clockToleranceSeconds: 90 });
    await expect(login(def)).resolves.toMatchObject({ id: 'alice' });
  });

  it('refuses iat 120 s in the future', async () => {
    fake.knobs.claims = (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 120 });
    await expectRefused(/"iat" lies 1[12]\d s in the future/);
  });

  it('refuses an expired id_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    fake.knobs.claims = (c) => ({ ...c, iat: now - 900, exp: now - 300 });
    await expectRefused(/has expired/);
  });

  it('reads a JWKS spelled with "Keys" (Tencent CIAM)', async () => {
    fake.knobs.jwksKeyName = 'Keys';
    await expect(login(await provider())).resolves.toMatchObject({ id: 'alice' });
  });

  it('keeps the login claims when a refresh answers without an id_token', async () => {
    const def = await provider();
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state: 's',
      nonce: 'n',
      codeChallenge: s256Challenge(verifier),
    });
    const code = new URL(await fake.consent(url)).searchParams.get('code') ?? '';
    const login = await engine.exchangeCode(def, { code, codeVerifier: verifier, nonce: 'n' });
    fake.knobs.noIdTokenOnRefresh = true;
    const refreshed = await engine.refresh(def, login.tokenSet.refreshToken!, login.claims);
    expect(refreshed.tokenSet.idToken).toBeUndefined();
    expect(refreshed.claims).toEqual(login.claims);
  });

  it('refuses a refreshed id_token for another audience than the login', async () => {
    const def = await provider();
    // a real refresh token: the strict fake refuses unknown ones before any id_token is signed
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state: 's',
      nonce: 'n',
      codeChallenge: s256Challenge(verifier),
    });
    const code = new URL(await fake.consent(url)).searchParams.get('code') ?? '';
    const login = await engine.exchangeCode(def, { code, codeVerifier: verifier, nonce: 'n' });
    const previous = { iss: fake.url, sub: 'alice', aud: 'rp-client', azp: 'rp-client' };
    fake.knobs.claims = (c) => ({ ...c, aud: ['rp-client', 'other'], azp: 'rp-client' });
    const error = await engine
      .refresh(def, login.tokenSet.refreshToken!, previous)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect(error).toMatchObject({ operation: 'refresh' });
    expect((error as Error).message).toMatch(/"aud" differs from the id_token of the login/);
  });

  it('refuses a login whose token answer has no id_token', async () => {
    const def = await provider();
    const error = await def.validateTokenResult!(
      { tokenSet: { accessToken: 'at', tokenType: 'Bearer', expiresAt: 0 }, payload: {} },
      { operation: 'exchange', nonce: 'n' },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid_id_token',
      message: expect.stringMatching(/without an id_token/),
    });
  });

  it('refuses a callback whose iss is not the issuer (RFC 9207)', async () => {
    const def = await provider();
    expect(def.requireCallbackIss).toBe(true);
    for (const iss of ['https://evil.example', undefined]) {
      let thrown: unknown;
      try {
        checkCallbackIssuer(def, iss);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({
        code: 'invalid_callback',
        status: 400,
        operation: 'callback',
      });
    }
    expect(() => checkCallbackIssuer(def, fake.url)).not.toThrow();
  });

  it('refuses to be configured with a symmetric algorithm', () => {
    const make = () =>
      oidc({
        issuer: fake.url,
        clientId: 'c',
        redirectUri: 'http://127.0.0.1:9/cb',
        algorithms: ['RS256', 'HS256'],
      });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/must be asymmetric .* not HS256/);
  });
});
