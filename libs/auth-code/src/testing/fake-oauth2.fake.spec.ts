import { AuthCodeEngine } from '../engine/auth-code.engine';
import { createCodeVerifier, s256Challenge } from '../core/pkce';
import { fakeOAuth2Definition } from './fake-oauth2.definition';
import { FakeOAuth2 } from './fake-oauth2.fake';

describe('FakeOAuth2', () => {
  const fake = new FakeOAuth2();
  const engine = new AuthCodeEngine({ timeoutMs: 2000 });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function code(verifier: string) {
    const def = fakeOAuth2Definition(fake);
    const url = engine.authorizeUrl(def, { state: 's', codeChallenge: s256Challenge(verifier) });
    return new URL(await fake.consent(url)).searchParams.get('code')!;
  }

  it('exchanges a code once, with PKCE, and serves userinfo for the token', async () => {
    const def = fakeOAuth2Definition(fake);
    const verifier = createCodeVerifier();
    const c = await code(verifier);
    const result = await engine.exchangeCode(def, { code: c, codeVerifier: verifier });
    expect(await engine.userinfo(def, result.tokenSet.accessToken)).toMatchObject({
      sub: 'user-1',
    });
    await expect(
      engine.exchangeCode(def, { code: c, codeVerifier: verifier }),
    ).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    expect(fake.exchangeCount).toBe(2);
  });

  it('refuses a wrong PKCE verifier', async () => {
    const c = await code(createCodeVerifier());
    await expect(
      engine.exchangeCode(fakeOAuth2Definition(fake), {
        code: c,
        codeVerifier: createCodeVerifier(),
      }),
    ).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const def = fakeOAuth2Definition(fake);
    const first = fake.issueTokens();
    const second = await engine.refresh(def, first.refreshToken!);
    expect(second.tokenSet.refreshToken).not.toBe(first.refreshToken);
    await expect(engine.refresh(def, first.refreshToken!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    await expect(engine.refresh(def, second.tokenSet.refreshToken!)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
    expect(fake.refreshCount).toBe(3);
  });

  it('revokes a grant (RFC 7009) so its access token stops working', async () => {
    const def = fakeOAuth2Definition(fake);
    const issued = fake.issueTokens();
    expect(await engine.revoke(def, issued.refreshToken!, 'refresh_token')).toBe(true);
    await expect(engine.userinfo(def, issued.accessToken)).rejects.toMatchObject({
      upstreamStatus: 401,
    });
  });

  it('answers a forced error for the next calls of one operation only', async () => {
    const def = fakeOAuth2Definition(fake);
    const issued = fake.issueTokens();
    fake.forceError('refresh', { status: 503, body: { error: 'temporarily_unavailable' } });
    await expect(engine.refresh(def, issued.refreshToken!)).rejects.toMatchObject({
      upstreamStatus: 503,
    });
    await expect(engine.refresh(def, issued.refreshToken!)).resolves.toBeDefined();
  });

  it('refuses a wrong client secret', async () => {
    const def = fakeOAuth2Definition(fake, {
      client: { clientId: fake.clientId, clientSecret: 'wrong' },
    });
    await expect(engine.refresh(def, fake.issueTokens().refreshToken!)).rejects.toMatchObject({
      code: 'invalid_client',
    });
  });
});
