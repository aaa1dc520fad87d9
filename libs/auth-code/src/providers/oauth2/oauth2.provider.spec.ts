import { driveLogin, OidcOpProcess } from '../../../../../test/support/oidc-op/oidc-op.process';
import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import type { ProviderDefinition } from '../../core/provider-definition';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { oauth2, profileFromFields, type OAuth2Options } from './oauth2.provider';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

describe('oauth2(): a provider from configuration alone', () => {
  const engine = new AuthCodeEngine({ timeoutMs: 5000 });
  let op: OidcOpProcess;

  beforeAll(async () => {
    op = await OidcOpProcess.start({ redirectUris: [REDIRECT_URI] });
  });
  afterAll(() => op?.stop());

  function configured(extra: Partial<OAuth2Options> = {}): ProviderDefinition {
    const { clientId, clientSecret } = op.info.clients.confidential;
    return oauth2({
      id: 'generic',
      clientId,
      clientSecret,
      redirectUri: REDIRECT_URI,
      authorizeUrl: `${op.issuer}/auth`,
      tokenUrl: `${op.issuer}/token`,
      userinfo: `${op.issuer}/me`,
      revoke: `${op.issuer}/token/revocation`,
      scope: ['openid', 'profile', 'email'],
      ...extra,
    });
  }

  async function login(def: ProviderDefinition) {
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state: randomToken(),
      codeChallenge: s256Challenge(verifier),
    });
    const code = (await driveLogin(url, REDIRECT_URI)).searchParams.get('code') ?? '';
    return engine.exchangeCode(def, { code, codeVerifier: verifier });
  }

  it('defaults to RFC 6749: Basic auth with a secret, PKCE, refresh like the exchange', () => {
    const def = configured();
    expect(def).toMatchObject({
      displayName: 'generic',
      pkce: true,
      token: {
        exchange: { url: `${op.issuer}/token`, clientAuth: 'client_secret_basic' },
        refresh: { url: `${op.issuer}/token`, clientAuth: 'client_secret_basic' },
      },
      userinfo: { url: `${op.issuer}/me` },
    });
    expect(configured({ clientSecret: undefined }).token.exchange.clientAuth).toBe('none');
    expect(configured({ refresh: false }).token.refresh).toBeUndefined();
  });

  it('adds authorizeParams over authorize.extraParams, and prompt=consent for offline_access', () => {
    const def = configured({
      scope: ['openid', 'offline_access'],
      authorize: { extraParams: { audience: 'old', resource: 'r' } },
      authorizeParams: { audience: 'https://api.example' },
    });
    const url = new URL(engine.authorizeUrl(def, { state: 'st' }));
    expect(url.searchParams.get('audience')).toBe('https://api.example');
    expect(url.searchParams.get('resource')).toBe('r');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(() => configured({ authorizeParams: { redirect_uri: 'https://evil.example' } })).toThrow(
      /generic is misconfigured: the authorize parameter "redirect_uri" is set by the library/,
    );
    expect(() =>
      configured({
        authorize: { paramNames: { redirectUri: 'redirectUrl' } },
        authorizeParams: { redirectUrl: 'https://evil.example' },
      }),
    ).toThrow(/"redirectUrl" is set by the library/);
  });

  it('passes every definition field through unchanged', () => {
    const def = configured({
      authorize: { paramNames: { scope: null }, extraParams: { audience: 'api' } },
      token: { method: 'GET', clientAuth: 'client_secret_post' },
      refresh: { url: `${op.issuer}/refresh`, encoding: 'json' },
      response: { envelope: 'result', expiresIn: 'jwt' },
      errors: { codePath: 'mc' },
    });
    expect(def.authorize).toMatchObject({
      paramNames: { scope: null },
      extraParams: { audience: 'api' },
    });
    expect(def.token.exchange).toMatchObject({ method: 'GET', clientAuth: 'client_secret_post' });
    expect(def.token.refresh).toMatchObject({
      url: `${op.issuer}/refresh`,
      method: 'GET',
      encoding: 'json',
    });
    expect(def.token.response).toEqual({ envelope: 'result', expiresIn: 'jwt' });
    expect(def.errors).toEqual({ codePath: 'mc' });
  });

  it('logs in against a real authorization server and maps the profile from field paths', async () => {
    const def = configured();
    const result = await login(def);
    await expect(engine.profile(def, result)).resolves.toEqual({
      provider: 'generic',
      id: op.info.account,
      displayName: 'OP Test User',
      email: `${op.info.account}@op.example.test`,
    });
  });

  it('refreshes and revokes with the configured endpoints', async () => {
    const def = configured();
    const { tokenSet } = await login(def);
    const refreshed = await engine.refresh(def, tokenSet.refreshToken!);
    expect(refreshed.tokenSet.accessToken).not.toBe(tokenSet.accessToken);
    await expect(
      engine.revoke(def, refreshed.tokenSet.refreshToken!, 'refresh_token'),
    ).resolves.toBe(true);
    await expect(engine.refresh(def, refreshed.tokenSet.refreshToken!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('reads profile fields from userinfo, then claims, then the token payload, by dotted path', () => {
    const map = profileFromFields({ id: 'user_id', displayName: 'info.nick', email: 'email' });
    const profile = map({
      token: {
        tokenSet: { accessToken: 'at', tokenType: 'Bearer', expiresAt: 0 },
        payload: { user_id: 12345678 },
      },
      userinfo: { info: { nick: 'Nick' } },
      claims: { email: 'n@example.test' },
    });
    expect(profile).toEqual({ id: '12345678', displayName: 'Nick', email: 'n@example.test' });
  });
});
