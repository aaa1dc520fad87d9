import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { HttpClient } from '../../engine/http-client';
import { LogoutTokenError } from '../../errors/auth-code.errors';
import { JwksCache } from './jwks.cache';
import { BACKCHANNEL_LOGOUT_EVENT } from './logout-token.claims';
import { LogoutTokenValidator } from './logout-token.validator';

const ISSUER = 'https://op.example';
const CLIENT = 'rp-client';

/**
 * One refusal per check of OpenID Connect Back-Channel Logout 1.0, 2.6: logout tokens signed
 * (or not) by a real key whose JWKS a loopback server publishes.
 */
describe('LogoutTokenValidator', () => {
  let server: Server;
  let signing: CryptoKey;
  let foreign: CryptoKey;
  let validator: LogoutTokenValidator;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signing = pair.privateKey;
    foreign = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    validator = new LogoutTokenValidator('oidc', {
      jwks: new JwksCache({ providerId: 'oidc', uri, http: new HttpClient() }),
      issuer: ISSUER,
      clientId: CLIENT,
      algorithms: ['RS256'],
    });
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const now = () => Math.floor(Date.now() / 1000);
  const good = (): Record<string, unknown> => ({
    iss: ISSUER,
    aud: CLIENT,
    iat: now(),
    exp: now() + 120,
    jti: 'jti-1',
    sub: 'alice',
    sid: 'op-session-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  });
  const sign = (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { typ: 'logout+jwt' },
    key: CryptoKey = signing,
  ) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(key);

  async function refused(token: string, reason: RegExp): Promise<void> {
    const err = await validator.validate(token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogoutTokenError);
    expect(err).toMatchObject({ code: 'invalid_logout_token', status: 400, operation: 'logout' });
    expect((err as Error).message).toMatch(reason);
  }

  it('accepts a correct token and returns jti, sub, sid and iat', async () => {
    const claims = good();
    await expect(validator.validate(await sign(claims))).resolves.toEqual({
      jti: 'jti-1',
      sub: 'alice',
      sid: 'op-session-1',
      iat: claims.iat,
    });
  });

  it('accepts a token with only a sid, or only a sub, and one without typ', async () => {
    const { sub: _sub, ...sidOnly } = good();
    const { sid: _sid, ...subOnly } = good();
    await expect(validator.validate(await sign(sidOnly))).resolves.toMatchObject({
      sid: 'op-session-1',
    });
    await expect(validator.validate(await sign(subOnly, {}))).resolves.toMatchObject({
      sub: 'alice',
    });
  });

  it.each<[string, (c: Record<string, unknown>) => Record<string, unknown>, RegExp]>([
    ['another issuer', (c) => ({ ...c, iss: 'https://evil.example' }), /"iss" is not/],
    ['another audience', (c) => ({ ...c, aud: 'other-client' }), /"aud" does not contain/],
    ['no iat', ({ iat: _i, ...c }) => c, /no "iat"/],
    ['an iat 2 minutes ahead', (c) => ({ ...c, iat: now() + 120 }), /in the future/],
    [
      'an iat 11 minutes old',
      (c) => ({ ...c, iat: now() - 660, exp: now() + 60 }),
      /more than 600 s old/,
    ],
    ['an exp in the past', (c) => ({ ...c, exp: now() - 60 }), /expired/],
    ['no jti', ({ jti: _j, ...c }) => c, /no usable "jti"/],
    ['no events', ({ events: _e, ...c }) => c, /"events" claim/],
    ['another event', (c) => ({ ...c, events: { 'urn:other': {} } }), /"events" claim/],
    [
      'an event that is not an object',
      (c) => ({ ...c, events: { [BACKCHANNEL_LOGOUT_EVENT]: 'x' } }),
      /"events" claim/,
    ],
    ['neither sub nor sid', ({ sub: _s, sid: _d, ...c }) => c, /neither a "sub" nor a "sid"/],
    ['a sid that is not text', (c) => ({ ...c, sid: 7 }), /neither a "sub" nor a "sid"/],
    ['a nonce (an id_token)', (c) => ({ ...c, nonce: 'n' }), /carries a "nonce"/],
  ])('refuses %s', async (_name, change, reason) => {
    await refused(await sign(change(good())), reason);
  });

  it('refuses another typ, a foreign signature, alg none and a token that is not a JWT', async () => {
    await refused(await sign(good(), { typ: 'dpop+jwt' }), /"typ" "dpop\+jwt" is not logout\+jwt/);
    await refused(await sign(good(), undefined, foreign), /signature does not verify/);
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await refused(`${part({ alg: 'none' })}.${part(good())}.`, /unsigned/);
    await refused('not-a-jwt', /not a compact signed JWT/);
    await refused('a'.repeat(17 * 1024), /longer than 16 KB/);
  });

  it('remembers jti for the maximum age plus twice the tolerance', () => {
    expect(validator.replayWindowSeconds).toBe(660);
  });
});
