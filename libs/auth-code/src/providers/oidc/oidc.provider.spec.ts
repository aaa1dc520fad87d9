import { driveLogin, OidcOpProcess } from '../../../../../test/support/oidc-op/oidc-op.process';
import { createCodeVerifier, randomToken, s256Challenge } from '../../core/pkce';
import type { ProviderDefinition } from '../../core/provider-definition';
import type { TokenResponse } from '../../core/token-set';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import {
  IdTokenError,
  ProviderRejectedError,
  ServiceUnavailableError,
} from '../../errors/auth-code.errors';
import { freePort } from '../../testing/server/free-port';
import { checkCallbackIssuer } from '../../engine/callback-issuer.check';
import { oidc, type OidcOptions } from './oidc.provider';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** The engine and the oidc() provider against a real, certified OpenID Provider (panva/oidc-provider). */
describe('oidc() against a real OpenID Provider', () => {
  const engine = new AuthCodeEngine({ timeoutMs: 5000 });
  let op: OidcOpProcess;

  beforeAll(async () => {
    op = await OidcOpProcess.start({ redirectUris: [REDIRECT_URI] });
  });
  afterAll(() => op?.stop());

  function confidential(extra: Partial<OidcOptions> = {}): Promise<ProviderDefinition> {
    const { clientId, clientSecret } = op.info.clients.confidential;
    return oidc({
      issuer: op.issuer,
      clientId,
      clientSecret,
      redirectUri: REDIRECT_URI,
      http: engine.http,
      ...extra,
    }).resolve();
  }

  /** Starts a login, lets the OP log the user in and consent, checks the callback, exchanges the code. */
  async function login(def: ProviderDefinition): Promise<TokenResponse & { nonce: string }> {
    const state = randomToken();
    const nonce = randomToken();
    const verifier = createCodeVerifier();
    const url = engine.authorizeUrl(def, {
      state,
      nonce,
      codeChallenge: def.pkce ? s256Challenge(verifier) : undefined,
    });
    const callback = await driveLogin(url, REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    checkCallbackIssuer(def, callback.searchParams.get('iss') ?? undefined);
    const code = callback.searchParams.get('code') ?? '';
    return { ...(await engine.exchangeCode(def, { code, codeVerifier: verifier, nonce })), nonce };
  }

  it('builds the definition from discovery: endpoints, PKCE, nonce, RFC 9207 iss', async () => {
    const def = await confidential();
    expect(def).toMatchObject({
      id: 'oidc',
      issuer: op.issuer,
      authorize: { url: `${op.issuer}/auth`, scope: ['openid', 'profile', 'email'] },
      token: { exchange: { url: `${op.issuer}/token`, clientAuth: 'client_secret_basic' } },
      userinfo: { url: `${op.issuer}/me` },
      revoke: { url: `${op.issuer}/token/revocation` },
      pkce: true,
      nonce: true,
      requireCallbackIss: true,
    });
  });

  it('builds an authorize URL with an S256 challenge, a nonce and the state', async () => {
    const def = await confidential();
    const verifier = createCodeVerifier();
    const url = new URL(
      engine.authorizeUrl(def, {
        state: 'st-1',
        nonce: 'n-1',
        codeChallenge: s256Challenge(verifier),
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: op.info.clients.confidential.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email',
      code_challenge: s256Challenge(verifier),
      code_challenge_method: 'S256',
      nonce: 'n-1',
      state: 'st-1',
    });
  });

  it('logs in a confidential client: validated id_token, tokens, profile from userinfo', async () => {
    const def = await confidential();
    const result = await login(def);
    expect(result.claims).toMatchObject({
      iss: op.issuer,
      sub: op.info.account,
      aud: op.info.clients.confidential.clientId,
      nonce: result.nonce,
    });
    expect(result.tokenSet.refreshToken).toEqual(expect.any(String));
    await expect(engine.profile(def, result)).resolves.toEqual({
      provider: 'oidc',
      id: op.info.account,
      displayName: 'OP Test User',
      email: `${op.info.account}@op.example.test`,
    });
  });

  it('logs in a public client with PKCE and no client authentication', async () => {
    const def = await oidc({
      issuer: op.issuer,
      clientId: op.info.clients.public.clientId,
      redirectUri: REDIRECT_URI,
    }).resolve();
    expect(def).toMatchObject({ pkce: true, token: { exchange: { clientAuth: 'none' } } });
    await expect(login(def)).resolves.toMatchObject({ claims: { sub: op.info.account } });
  });

  it('is refused by the OP, which requires PKCE, when PKCE is turned off', async () => {
    const def = await confidential({ pkce: false });
    const url = engine.authorizeUrl(def, { state: 's', nonce: 'n' });
    const callback = await driveLogin(url, REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a code exchanged with the wrong code_verifier', async () => {
    const def = await confidential();
    const url = engine.authorizeUrl(def, {
      state: 's',
      nonce: 'n',
      codeChallenge: s256Challenge(createCodeVerifier()),
    });
    const code = (await driveLogin(url, REDIRECT_URI)).searchParams.get('code') ?? '';
    const error = await engine
      .exchangeCode(def, { code, codeVerifier: createCodeVerifier(), nonce: 'n' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ code: 'invalid_grant' });
  });

  it('refreshes with rotation: new refresh token, same subject, the old one refused', async () => {
    const def = await confidential();
    const first = await login(def);
    const refreshed = await engine.refresh(def, first.tokenSet.refreshToken!, first.claims);
    expect(refreshed.tokenSet.refreshToken).toEqual(expect.any(String));
    expect(refreshed.tokenSet.refreshToken).not.toBe(first.tokenSet.refreshToken);
    expect(refreshed.tokenSet.idToken).toEqual(expect.any(String));
    expect(refreshed.claims).toMatchObject({
      iss: op.issuer,
      sub: first.claims!.sub,
      aud: first.claims!.aud,
    });
    const reuse = await engine
      .refresh(def, first.tokenSet.refreshToken!, first.claims)
      .catch((e: unknown) => e);
    expect(reuse).toMatchObject({ code: 'invalid_grant' });
  });

  it('refuses a refreshed id_token whose subject differs from the login', async () => {
    const def = await confidential();
    const first = await login(def);
    const previous = { ...first.claims, sub: 'somebody-else' };
    const error = await engine
      .refresh(def, first.tokenSet.refreshToken!, previous)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as Error).message).toMatch(/"sub" differs from the id_token of the login/);
  });

  it('revokes the refresh token, which then no longer refreshes', async () => {
    const def = await confidential();
    const { tokenSet, claims } = await login(def);
    await expect(engine.revoke(def, tokenSet.refreshToken!, 'refresh_token')).resolves.toBe(true);
    await expect(engine.refresh(def, tokenSet.refreshToken!, claims)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });

  it('answers 503 while discovery is down, then recovers by itself once the OP is up', async () => {
    const port = await freePort();
    const { clientId, clientSecret } = op.info.clients.confidential;
    const provider = oidc({
      issuer: `http://127.0.0.1:${port}`,
      clientId,
      clientSecret,
      redirectUri: REDIRECT_URI,
    });
    const error = await provider.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      code: 'provider_unavailable',
      status: 503,
      operation: 'discovery',
    });
    expect((error as Error).message).toMatch(/discovery document .* could not be read/);
    const late = await OidcOpProcess.start({ port, redirectUris: [REDIRECT_URI] });
    try {
      await expect(provider.resolve()).resolves.toMatchObject({
        issuer: `http://127.0.0.1:${port}`,
      });
    } finally {
      await late.stop();
    }
  });
});
