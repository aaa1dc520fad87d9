import { jwtVerify } from 'jose';
import { decodeJwtPayload } from '../../core/jwt';
import type { ProviderDefinition } from '../../core/provider-definition';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import type { HttpResponse } from '../../engine/http-client';
import { readTokenResponse } from '../../engine/token-response.reader';
import {
  AuthCodeError,
  ConfigurationError,
  ProviderRejectedError,
  TransportError,
  UnexpectedResponseError,
} from '../../errors/auth-code.errors';
import type { FakeFault } from '../../testing/server/fake-server';
import { rejectionOf } from '../../../../../test/support/rejection';
import { FAKE_XT_PATHS, FakeXt } from './xt.fake';
import { XT_TOKEN_PATH, xt, xtProfile, type XtOptions } from './xt.provider';

const REDIRECT = 'https://app.example/auth/xt/callback';
const NOW = 1_700_000_000_000;

/** The seed's response block (doc.xt.com ApplyToken), verbatim, with the doc's `//` annotations. */
const SEED_RESPONSE = `{
    "rc": 0,
    "mc": "SUCCESS",
    "ma": [],
    "result": {
        "user_id":"12345678",
        "access_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIiwidXNlci1pZCI6MSwic2NvcGUiOiJ1c2VyaW5mbyIsImlzcyI6Inh0LmNvbSIsImV4cCI6MTY5MTU2MTA3NiwiY2xpZW50X2lkIjoiMzVMRjJGU0xIWDVJUlFBNCJ9.vkSTiFLcQuO0qJqdm21MfmoLKb38wwhsKPCJI3x1xmOxYouH5GtmcYglk0XRxPeOMVZ-6E6tM3HGn1yMQdqTgHOVeAbtLSBBIqyUh6y-8j_MF8GyBwcEaRK2hfWBNOHw06B-0jLO_mKEduUWZXYHjNiAN2jenbj7Ba6MX7rcENk",//用于访问授权接口的token，默认有效期1天
        "refresh_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIiwidXNlci1pZCI6MSwic2NvcGUiOiJ1c2VyaW5mbyIsImlzcyI6Inh0LmNvbSIsImV4cCI6MTY5NDE1MzA3NiwiY2xpZW50X2lkIjoiMzVMRjJGU0xIWDVJUlFBNCJ9.UIeGGDiiybfEUEPFAteN3TtCxz5PyZxGDIULaNJjO3mCck7s28nRpXWSxONMGYMXG03XxJVUJs5WfdpNEmKUmmoQQuy-UOCuvV7zLdFmwUHd5e5tDMA7mgTCxbCeyxYE4L8Vr8StEEhxwWbDFxG_-2wdNEgEIvlgg9bI87Qcy9s",//用于刷新access token的token，默认有效期180天
        "expires_in": 15551999,//access_token距离过期的毫秒数
        "refresh_expires_in": 18143999,//refresh_token距离过期的毫秒数
        "client_id": "35LF2FSLHX5IRQA4",//机构标识
        "scope": "userinfo"//授权的scope
    }
}`;

/** The doc annotates its JSON with `//` comments; the wire carries none. */
const stripDocComments = (text: string) => text.replace(/\/\/[^\n]*$/gm, '');

const answer = (body: unknown, status = 200): HttpResponse => ({
  status,
  contentType: 'application/json',
  wwwAuthenticate: '',
  text: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Runs a call expected to fail and returns its error, failing the test when it succeeds. */
const failure = (call: () => Promise<unknown>) => rejectionOf(call, AuthCodeError);

describe('xt() definition', () => {
  const options: XtOptions = {
    clientId: 'CID',
    clientSecret: 'SECRET',
    redirectUri: REDIRECT,
    authorizeUrl: 'https://www.xt.example/oauth/authorize',
  };

  it('defaults the token endpoint to sapi.xt.com and has no userinfo unless configured', () => {
    const def = xt(options);
    expect(def.token.exchange.url).toBe(`https://sapi.xt.com${XT_TOKEN_PATH}`);
    expect(def.token.refresh?.url).toBe(`https://sapi.xt.com${XT_TOKEN_PATH}`);
    expect(def.userinfo).toBeUndefined();
    expect(def.pkce).toBe(false);
  });

  it.each(['clientId', 'clientSecret', 'redirectUri', 'authorizeUrl'] as const)(
    'refuses a configuration without %s',
    (key) => {
      expect(() => xt({ ...options, [key]: '' })).toThrow(ConfigurationError);
    },
  );

  it('refuses an authorize URL that is not absolute', () => {
    expect(() => xt({ ...options, authorizeUrl: '/oauth/authorize' })).toThrow(/authorizeUrl/);
  });

  it('builds a standard authorize URL without PKCE, nonce or scope by default', () => {
    const url = new URL(new AuthCodeEngine().authorizeUrl(xt(options), { state: 'st' }));
    expect(url.origin + url.pathname).toBe('https://www.xt.example/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'CID',
      redirect_uri: REDIRECT,
      state: 'st',
    });
  });

  it('renames, drops and adds authorize parameters as configured', () => {
    const def = xt({
      ...options,
      scope: ['userinfo'],
      authorizeParamNames: { clientId: 'appId', responseType: null },
      authorizeExtraParams: { lang: 'en' },
    });
    const url = new URL(new AuthCodeEngine().authorizeUrl(def, { state: 'st' }));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appId: 'CID',
      redirect_uri: REDIRECT,
      scope: 'userinfo',
      lang: 'en',
      state: 'st',
    });
  });
});

describe('xt() reading token answers', () => {
  const def = xt({
    clientId: 'c',
    clientSecret: 's',
    redirectUri: REDIRECT,
    authorizeUrl: 'https://a.example/',
  });

  it('reads the seed example: expiry from the JWT exp, identity from user_id not sub', () => {
    const result = readTokenResponse(def, answer(stripDocComments(SEED_RESPONSE)), 'exchange', NOW);
    expect(result.tokenSet).toMatchObject({
      tokenType: 'Bearer',
      expiresAt: 1_691_561_076_000,
      scope: 'userinfo',
    });
    expect(result.tokenSet.accessToken).toMatch(/^eyJhbGciOiJSUzI1NiJ9\./);
    expect(result.tokenSet.refreshToken).toMatch(/^eyJhbGciOiJSUzI1NiJ9\./);
    expect(decodeJwtPayload(result.tokenSet.accessToken)?.sub).toBe('1');
    expect(xtProfile({ token: result }).id).toBe('12345678');
  });

  it('counts expires_in as seconds when the access token is not a JWT', () => {
    const body = {
      rc: 0,
      mc: 'SUCCESS',
      ma: [],
      result: { user_id: '7', access_token: 'opaque', expires_in: 86400 },
    };
    expect(readTokenResponse(def, answer(body), 'exchange', NOW).tokenSet.expiresAt).toBe(
      NOW + 86_400_000,
    );
  });

  it('accepts rc "0" as a string and token fields at the top level', () => {
    const body = { rc: '0', access_token: 'opaque', expires_in: 60, user_id: 42 };
    const result = readTokenResponse(def, answer(body), 'refresh', NOW);
    expect(result.tokenSet.expiresAt).toBe(NOW + 60_000);
    expect(xtProfile({ token: result }).id).toBe('42');
  });

  it('turns rc 1 into a provider rejection carrying the mc code and no message from ma', () => {
    const body = { rc: 1, mc: 'FAILURE', ma: ['some argument'], result: null };
    const err = (() => {
      try {
        readTokenResponse(def, answer(body), 'refresh', NOW);
      } catch (e) {
        return e as ProviderRejectedError;
      }
    })();
    expect(err).toBeInstanceOf(ProviderRejectedError);
    expect(err).toMatchObject({
      code: 'invalid_grant',
      providerCode: 'FAILURE',
      upstreamStatus: 200,
      status: 400,
    });
    expect(err?.providerMessage).toBeUndefined();
    expect(err?.message).not.toContain('some argument');
  });

  it('refuses a success envelope without an access token as an unexpected response', () => {
    const body = { rc: 0, mc: 'SUCCESS', ma: [], result: null };
    expect(() => readTokenResponse(def, answer(body), 'exchange', NOW)).toThrow(
      UnexpectedResponseError,
    );
  });
});

describe('xt() against FakeXt', () => {
  const fake = new FakeXt();
  const logs: string[] = [];
  const engine = new AuthCodeEngine({
    timeoutMs: 2000,
    logger: { debug: (line) => logs.push(line) },
  });
  let def: ProviderDefinition;

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    Object.assign(fake, {
      rotateRefreshTokens: false,
      tokenLifetimeSeconds: 86_400,
      codeLifetimeSeconds: 300,
      redirectUri: REDIRECT, // registered, as a real institution must
      userinfo: { nickname: 'Fake XT user', email: 'user@xt.example' },
    });
    def = xt(fake.providerOptions(REDIRECT));
  });

  async function login(d = def, state = 'state-1'): Promise<string> {
    const back = new URL(await fake.consent(engine.authorizeUrl(d, { state })));
    expect(back.searchParams.get('state')).toBe(state);
    return back.searchParams.get('code')!;
  }

  describe('login', () => {
    it('serves a consent page at the configured authorize URL', async () => {
      const res = await fetch(engine.authorizeUrl(def, { state: 's' }));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('id="approve"');
    });

    it('refuses a redirect URI other than the registered one at the consent step', async () => {
      fake.redirectUri = 'https://other.example/callback';
      await expect(fake.consent(engine.authorizeUrl(def, { state: 's' }))).rejects.toThrow(/400/);
    });

    it('redirects a denial back with access_denied and the state', async () => {
      const back = new URL(await fake.consent(engine.authorizeUrl(def, { state: 's-9' }), 'deny'));
      expect(back.origin + back.pathname).toBe(REDIRECT);
      expect(Object.fromEntries(back.searchParams)).toEqual({
        error: 'access_denied',
        state: 's-9',
      });
    });
  });

  describe('code exchange', () => {
    it('sends a GET with client credentials and code in the query, no redirect_uri and no body', async () => {
      const code = await login();
      await engine.exchangeCode(def, { code });
      const [req] = fake.requestsTo('token');
      expect(req.method).toBe('GET');
      expect(req.path).toBe(XT_TOKEN_PATH);
      expect(req.query).toEqual({
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        grant_type: 'authorization_code',
        code,
      });
      expect(req.rawBody).toBe('');
      expect(req.headers['content-type']).toBeUndefined();
    });

    it('returns the signed JWT access token with its exp as expiry and user_id as identity', async () => {
      fake.tokenLifetimeSeconds = 3600;
      const code = await login();
      const before = Date.now();
      const result = await engine.exchangeCode(def, { code });
      const after = Date.now();
      const { payload, protectedHeader } = await jwtVerify(
        result.tokenSet.accessToken,
        fake.grants.publicKey!,
        {
          issuer: 'xt.com',
        },
      );
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.sub).toBe('1');
      expect(result.tokenSet.expiresAt).toBe(payload.exp! * 1000);
      // tokenLifetimeSeconds drives the JWT exp (whole seconds) as well as expires_in
      expect(payload.exp! * 1000).toBeGreaterThan(before + 3600_000 - 1000);
      expect(payload.exp! * 1000).toBeLessThanOrEqual(after + 3600_000);
      expect(result.tokenSet).toMatchObject({ tokenType: 'Bearer', scope: 'userinfo' });
      expect(result.tokenSet.refreshToken).toEqual(expect.any(String));
      expect(result.payload).toMatchObject({
        user_id: '12345678',
        expires_in: 3600,
        client_id: fake.clientId,
      });
    });

    it('refuses an expired code as invalid_grant', async () => {
      fake.codeLifetimeSeconds = 0;
      const err = await failure(async () => engine.exchangeCode(def, { code: await login() }));
      expect(err).toMatchObject({ code: 'invalid_grant', providerCode: 'CODE_INVALID' });
    });

    it('refuses a replayed code as invalid_grant and revokes what the code gave', async () => {
      const code = await login();
      const first = await engine.exchangeCode(def, { code });
      const err = await failure(() => engine.exchangeCode(def, { code }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'invalid_grant',
        providerCode: 'CODE_INVALID',
        status: 400,
      });
      const dead = await failure(() => engine.userinfo(def, first.tokenSet.accessToken));
      expect(dead).toMatchObject({ code: 'token_dead', upstreamStatus: 401 });
    });

    it('maps mc codes through a configured errorCodeMap', async () => {
      const code = await login();
      const mapped = xt(
        fake.providerOptions(REDIRECT, {
          clientSecret: 'wrong',
          errorCodeMap: { CLIENT_INVALID: 'invalid_client' },
        }),
      );
      const err = await failure(() => engine.exchangeCode(mapped, { code }));
      expect(err).toMatchObject({
        code: 'invalid_client',
        providerCode: 'CLIENT_INVALID',
        status: 401,
      });
    });

    it('treats "system busy" as temporarily unavailable, not as a dead grant', async () => {
      fake.forceError('token', 'COMMON_002');
      const err = await failure(async () => engine.exchangeCode(def, { code: await login() }));
      expect(err).toMatchObject({
        code: 'temporarily_unavailable',
        providerCode: 'COMMON_002',
        status: 503,
      });
    });

    it('uses the configured defaultErrorCode for unmapped mc codes', async () => {
      fake.forceError('token', 'FAILURE');
      const lenient = xt(fake.providerOptions(REDIRECT, { defaultErrorCode: 'provider_error' }));
      const err = await failure(async () => engine.exchangeCode(lenient, { code: await login() }));
      expect(err).toMatchObject({ code: 'provider_error', providerCode: 'FAILURE' });
    });

    it('reports HTTP 429 as rate_limited', async () => {
      fake.rateLimit('token');
      const err = await failure(async () => engine.exchangeCode(def, { code: await login() }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({ code: 'rate_limited', upstreamStatus: 429, status: 429 });
    });
  });

  describe('refresh', () => {
    it('sends the same GET with grant_type=refresh_token and keeps the old refresh token', async () => {
      const first = await engine.exchangeCode(def, { code: await login() });
      const refreshed = await engine.refresh(def, first.tokenSet.refreshToken!);
      const req = fake.requestsTo('token')[1];
      expect(req).toMatchObject({ method: 'GET', path: XT_TOKEN_PATH, rawBody: '' });
      expect(req.query).toEqual({
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: first.tokenSet.refreshToken,
      });
      expect(refreshed.payload.refresh_token).toBeUndefined();
      expect(refreshed.tokenSet.refreshToken).toBe(first.tokenSet.refreshToken);
      expect(refreshed.tokenSet.accessToken).not.toBe(first.tokenSet.accessToken);
      expect(refreshed.tokenSet.expiresAt).toBe(
        Number(decodeJwtPayload(refreshed.tokenSet.accessToken)?.exp) * 1000,
      );
    });

    it('with rotation, refuses a spent refresh token as invalid_grant and revokes its successor', async () => {
      fake.rotateRefreshTokens = true;
      const first = await engine.exchangeCode(def, { code: await login() });
      const second = await engine.refresh(def, first.tokenSet.refreshToken!);
      expect(second.tokenSet.refreshToken).not.toBe(first.tokenSet.refreshToken);
      const reuse = await failure(() => engine.refresh(def, first.tokenSet.refreshToken!));
      expect(reuse).toMatchObject({
        code: 'invalid_grant',
        providerCode: 'REFRESH_TOKEN_INVALID',
        operation: 'refresh',
      });
      const after = await failure(() => engine.refresh(def, second.tokenSet.refreshToken!));
      expect(after.code).toBe('invalid_grant');
    });

    it('turns an unmapped refusal into invalid_grant and a 429 into rate_limited', async () => {
      const first = await engine.exchangeCode(def, { code: await login() });
      fake.forceError('refresh', 'AUTH_EXPIRED');
      expect(await failure(() => engine.refresh(def, first.tokenSet.refreshToken!))).toMatchObject({
        code: 'invalid_grant',
        providerCode: 'AUTH_EXPIRED',
      });
      fake.rateLimit('refresh');
      expect(await failure(() => engine.refresh(def, first.tokenSet.refreshToken!))).toMatchObject({
        code: 'rate_limited',
      });
      expect(fake.grantCount('refresh_token')).toBe(2);
    });
  });

  describe('profile', () => {
    it('takes the id from the token and name and e-mail from userinfo, sent with Bearer', async () => {
      const result = await engine.exchangeCode(def, { code: await login() });
      const profile = await engine.profile(def, result);
      expect(profile).toEqual({
        provider: 'xt',
        id: '12345678',
        displayName: 'Fake XT user',
        email: 'user@xt.example',
      });
      const [req] = fake.requestsTo('userinfo');
      expect(req.headers.authorization).toBe(`Bearer ${result.tokenSet.accessToken}`);
      expect(req.path).toBe(FAKE_XT_PATHS.userinfo);
    });

    it('makes no userinfo call when no userinfoUrl is configured', async () => {
      const bare = xt(fake.providerOptions(REDIRECT, { userinfoUrl: undefined }));
      const profile = await engine.profile(
        bare,
        await engine.exchangeCode(bare, { code: await login(bare) }),
      );
      expect(profile).toEqual({ provider: 'xt', id: '12345678' });
      expect(fake.count('userinfo')).toBe(0);
    });

    it('identifies nobody when userinfo names another user than the token', async () => {
      fake.userinfo = { user_id: '99999999' };
      const result = await engine.exchangeCode(def, { code: await login() });
      const err = await failure(() => engine.profile(def, result));
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      expect(err.code).toBe('invalid_response');
    });

    it('reports an unusable access token at userinfo as token_dead with HTTP 401', async () => {
      const err = await failure(() => engine.userinfo(def, 'not-a-token'));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code: 'token_dead',
        providerCode: 'TOKEN_INVALID',
        upstreamStatus: 401,
        status: 401,
      });
    });

    it('reports a userinfo envelope error', async () => {
      const result = await engine.exchangeCode(def, { code: await login() });
      fake.forceError('userinfo', 'COMMON_002');
      const err = await failure(() => engine.profile(def, result));
      expect(err).toMatchObject({
        code: 'temporarily_unavailable',
        operation: 'userinfo',
        upstreamStatus: 200,
      });
    });
  });

  describe('upstream garbage', () => {
    it.each<[FakeFault, string]>([
      ['html-200', 'invalid_response'],
      ['html-502', 'server_error'],
      ['truncated-json', 'invalid_response'],
      ['status-503', 'temporarily_unavailable'],
      ['no-access-token', 'invalid_response'],
    ])('turns %s into an unexpected-response error (%s), never a refusal', async (fault, code) => {
      const codeValue = await login();
      fake.injectFault('token', fault);
      const err = await failure(() => engine.exchangeCode(def, { code: codeValue }));
      expect(err).toBeInstanceOf(UnexpectedResponseError);
      expect(err.code).toBe(code);
      expect(err.status).toBeGreaterThanOrEqual(500);
      expect(err.redactedBody).toEqual(expect.any(String));
    });

    it('gives up on a hanging token endpoint with a timeout error', async () => {
      const impatient = new AuthCodeEngine({ timeoutMs: 200 });
      const code = await login();
      fake.injectFault('token', 'hang');
      const err = await failure(() => impatient.exchangeCode(def, { code }));
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'timeout', operation: 'exchange', status: 504 });
    });
  });

  it('never puts the client secret, a code or a token in an error or a debug log line', async () => {
    logs.length = 0;
    const quiet = new AuthCodeEngine({
      timeoutMs: 200,
      logger: { debug: (line) => logs.push(line) },
    });
    const secrets = [fake.clientSecret];
    const errors: AuthCodeError[] = [];
    const collect = async (call: () => Promise<unknown>) => errors.push(await failure(call));

    const code = await login();
    secrets.push(code);
    const tokens = await quiet.exchangeCode(def, { code });
    secrets.push(tokens.tokenSet.accessToken, tokens.tokenSet.refreshToken!);
    await collect(() => quiet.exchangeCode(def, { code }));
    for (const fault of ['html-200', 'html-502', 'truncated-json', 'hang'] as const) {
      const next = await login();
      secrets.push(next);
      fake.injectFault('token', fault);
      await collect(() => quiet.exchangeCode(def, { code: next }));
      fake.injectFault('token', fault);
      await collect(() => quiet.refresh(def, tokens.tokenSet.refreshToken!));
    }
    fake.forceError('token', 'FAILURE', { ma: ['code'] });
    await collect(() => quiet.exchangeCode(def, { code }));
    fake.rateLimit('refresh');
    await collect(() => quiet.refresh(def, tokens.tokenSet.refreshToken!));
    await collect(() =>
      quiet.refresh(
        xt(fake.providerOptions(REDIRECT, { clientSecret: 'x' })),
        tokens.tokenSet.refreshToken!,
      ),
    );
    await collect(() => quiet.userinfo(def, 'not-a-live-token'));

    expect(errors).toHaveLength(13);
    expect(logs.length).toBeGreaterThanOrEqual(13);
    expect(logs.some((line) => line.includes(`GET ${fake.url}${XT_TOKEN_PATH} ->`))).toBe(true);
    const texts = [
      ...logs,
      ...errors.flatMap((e) => [
        e.message,
        e.redactedBody ?? '',
        JSON.stringify(e),
        String((e as Error).cause ?? ''),
      ]),
    ];
    for (const secret of secrets) {
      expect(texts.filter((t) => t.includes(secret))).toEqual([]);
    }
  });
});
