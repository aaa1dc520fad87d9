import type { ProviderDefinition } from '../../core/provider-definition';
import type { TokenResponse } from '../../core/token-set';
import { AuthCodeEngine } from '../../engine/auth-code.engine';
import type { HttpResponse } from '../../engine/http-client';
import { providerError } from '../../engine/provider-answer';
import { readTokenResponse } from '../../engine/token-response.reader';
import {
  AuthCodeError,
  ConfigurationError,
  ProviderRejectedError,
  TransportError,
  UnexpectedResponseError,
} from '../../errors/auth-code.errors';
import { rejectionOf } from '../../../../../test/support/rejection';
import { FakeIsolarcloud } from './isolarcloud.fake';
import {
  ISOLARCLOUD_REGIONS,
  isolarcloud,
  type IsolarcloudOptions,
  type IsolarcloudRegion,
} from './isolarcloud.provider';

const REDIRECT = 'https://app.example.com/auth/isolarcloud/callback';

/** Seed 2.1, verbatim. */
const SEED_SUCCESS = `{
  "req_serial_num": "20240920d9184e7fa2e9a031e5e96f5b",
  "result_code": "1",
  "result_msg": "success",
  "result_data": {
    "access_token": "7b8e7dd6-b0c2-4d7e-84b0-3089ae39aae4",
    "token_type": "bearer",
    "refresh_token": "b2bd40bd-41b0-4329-9150-070a25ce8ca2",
    "expires_in": 172799,
    "auth_ps_list": ["700667048","700009368","700007278","342472479","700666230","700666205","542241","342469869","342469867"],
    "auth_user": 408056
  }
}`;
const SEED_PLANTS = [
  '700667048',
  '700009368',
  '700007278',
  '342472479',
  '700666230',
  '700666205',
  '542241',
  '342469869',
  '342469867',
];

/** Seed 2.2, verbatim. */
const SEED_FAILURE = `{
  "req_serial_num": "2024091132fd4f358979fc436d88e472",
  "result_code": "2",
  "result_msg": "Invalid authorization code: rFrnww2",
  "result_data": null
}`;

const json = (text: string, status = 200): HttpResponse => ({
  status,
  contentType: 'application/json;charset=utf-8',
  wwwAuthenticate: '',
  text,
});

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AuthCodeError);

function expectNoSecrets(err: AuthCodeError, secrets: string[]): void {
  const visible = [err.message, err.providerMessage, err.redactedBody, JSON.stringify(err)].join(
    '\n',
  );
  for (const secret of secrets) expect(visible).not.toContain(secret);
}

describe('isolarcloud definition', () => {
  const base = {
    appKey: 'APPKEY',
    secretKey: 'SECRET',
    applicationId: '4321',
    redirectUri: REDIRECT,
  };

  it('defaults to the International cloud', () => {
    const def = isolarcloud(base);
    expect(def.authorize.url).toBe('https://web3.isolarcloud.com.hk');
    expect(def.authorize.extraParams?.cloudId).toBe('2');
    expect(def.token.exchange.url).toBe(
      'https://gateway.isolarcloud.com.hk/openapi/apiManage/token',
    );
    expect(def.token.refresh?.url).toBe(
      'https://gateway.isolarcloud.com.hk/openapi/apiManage/refreshToken',
    );
  });

  it.each(Object.keys(ISOLARCLOUD_REGIONS) as IsolarcloudRegion[])(
    'takes hosts and cloudId of region %s from the region table',
    (region) => {
      const def = isolarcloud({ ...base, region });
      const info = ISOLARCLOUD_REGIONS[region];
      expect(def.authorize.url).toBe(`https://${info.loginHost}`);
      expect(def.authorize.extraParams?.cloudId).toBe(String(info.cloudId));
      expect(def.token.exchange.url).toBe(`https://${info.gatewayHost}/openapi/apiManage/token`);
    },
  );

  it('lets gatewayUrl, loginUrl and cloudId override the region', () => {
    const def = isolarcloud({
      ...base,
      region: 'cn',
      gatewayUrl: 'https://gw.example/',
      loginUrl: 'https://web3.isolarcloud.com',
      cloudId: 11,
    });
    expect(def.authorize.url).toBe('https://web3.isolarcloud.com');
    expect(def.authorize.extraParams?.cloudId).toBe('11');
    expect(def.token.refresh?.url).toBe('https://gw.example/openapi/apiManage/refreshToken');
  });

  it('refuses an unknown region and missing credentials at configuration time', () => {
    expect(() => isolarcloud({ ...base, region: 'mars' as IsolarcloudRegion })).toThrow(
      ConfigurationError,
    );
    expect(() => isolarcloud({ ...base, applicationId: '' })).toThrow(/applicationId is required/);
  });
});

describe('isolarcloud against the fake', () => {
  let fake: FakeIsolarcloud;
  let engine: AuthCodeEngine;
  let def: ProviderDefinition;
  const options = (extra: Partial<IsolarcloudOptions> = {}): IsolarcloudOptions => ({
    appKey: fake.appKey,
    secretKey: fake.secretKey,
    applicationId: fake.applicationId,
    redirectUri: REDIRECT,
    loginUrl: fake.url,
    gatewayUrl: fake.url,
    ...extra,
  });

  /** Authorize, approve at the fake login app, return the code from the callback. */
  async function authorize(d = def, state = 'st-1'): Promise<string> {
    const callback = new URL(await fake.consent(engine.authorizeUrl(d, { state })));
    expect(callback.searchParams.get('state')).toBe(state);
    return callback.searchParams.get('code')!;
  }
  const login = async (d = def): Promise<TokenResponse> =>
    engine.exchangeCode(d, { code: await authorize(d) });

  beforeEach(async () => {
    // the fake only accepts the registered redirect URL, like the real login app
    fake = new FakeIsolarcloud({ redirectUri: REDIRECT });
    await fake.start();
    engine = new AuthCodeEngine({ timeoutMs: 2000 });
    def = isolarcloud(options());
  });
  afterEach(() => fake.stop());

  describe('authorize URL', () => {
    it('puts state before the # and the camelCase parameters in the fragment', () => {
      const d = isolarcloud(options({ loginUrl: 'https://web3.isolarcloud.eu', cloudId: 3 }));
      const url = engine.authorizeUrl(d, { state: 'XYZ' });
      expect(url).toBe(
        'https://web3.isolarcloud.eu/?state=XYZ#/authorized-app?' +
          `redirectUrl=${encodeURIComponent(REDIRECT)}&cloudId=3&applicationId=${fake.applicationId}`,
      );
      const parsed = new URL(url);
      expect([...parsed.searchParams.keys()]).toEqual(['state']);
      const [route, query] = parsed.hash.slice(1).split('?');
      expect(route).toBe('/authorized-app');
      expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
        redirectUrl: REDIRECT,
        cloudId: '3',
        applicationId: fake.applicationId,
      });
      expect(fake.applicationId).not.toBe(fake.appKey);
      expect(url).not.toMatch(/response_type|scope|client_id|appkey|code_challenge/);
    });
  });

  describe('code exchange', () => {
    it('sends a JSON POST with the secret in x-access-key and appkey/grant_type/code/redirect_uri', async () => {
      const code = await authorize();
      expect(code).toMatch(/^[A-Za-z0-9]{6}$/);
      await engine.exchangeCode(def, { code });
      const [sent] = fake.requestsTo('token');
      expect(sent.method).toBe('POST');
      expect(sent.path).toBe('/openapi/apiManage/token');
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.headers['x-access-key']).toBe(fake.secretKey);
      expect(sent.headers.authorization).toBeUndefined();
      expect(JSON.parse(sent.rawBody)).toEqual({
        appkey: fake.appKey,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      });
    });

    it('reads the token set and the profile from result_data', async () => {
      const before = Date.now();
      const result = await login();
      const after = Date.now();
      expect(result.tokenSet).toEqual({
        accessToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
        refreshToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
        tokenType: 'Bearer',
        expiresAt: expect.any(Number),
        scope: undefined,
        idToken: undefined,
      });
      expect(result.tokenSet.expiresAt).toBeGreaterThanOrEqual(before + 172799_000);
      expect(result.tokenSet.expiresAt).toBeLessThanOrEqual(after + 172799_000);
      expect(await engine.profile(def, result)).toEqual({
        provider: 'isolarcloud',
        id: '408056',
        displayName: 'iSolarCloud user 408056',
        extras: { plantIds: SEED_PLANTS },
      });
    });

    it('parses the seed success example verbatim', () => {
      const result = readTokenResponse(def, json(SEED_SUCCESS), 'exchange', 1_000_000);
      expect(result.tokenSet).toEqual({
        accessToken: '7b8e7dd6-b0c2-4d7e-84b0-3089ae39aae4',
        refreshToken: 'b2bd40bd-41b0-4329-9150-070a25ce8ca2',
        tokenType: 'Bearer',
        expiresAt: 1_000_000 + 172799_000,
        scope: undefined,
        idToken: undefined,
      });
      expect(def.profile({ token: result })).toEqual({
        id: '408056',
        displayName: 'iSolarCloud user 408056',
        extras: { plantIds: SEED_PLANTS },
      });
    });

    it('maps the seed failure example to invalid_grant', () => {
      const err = (() => {
        try {
          readTokenResponse(def, json(SEED_FAILURE), 'exchange');
        } catch (e) {
          return e as AuthCodeError;
        }
      })();
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({ code: 'invalid_grant', providerCode: '2', upstreamStatus: 200 });
    });

    it.each([
      ['only at the top level', 'only' as const],
      ['both at the top level and in result_data', true],
    ])('accepts token fields %s', async (_, placement) => {
      fake.tokensAtTopLevel = placement;
      const result = await login();
      expect(result.tokenSet.accessToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.tokenSet.refreshToken).toMatch(/^[0-9a-f-]{36}$/);
      const profile = await engine.profile(def, result);
      expect(profile).toMatchObject({ id: '408056', extras: { plantIds: SEED_PLANTS } });
    });

    it('reads expires_in given as a string, in seconds', async () => {
      fake.expiresInAsString = true;
      fake.tokenLifetimeSeconds = 3600;
      const before = Date.now();
      const { tokenSet } = await login();
      expect(tokenSet.expiresAt).toBeGreaterThanOrEqual(before + 3600_000);
      expect(tokenSet.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    });

    it.each([0, -30])('treats expires_in %i as already due', async (lifetime) => {
      fake.tokenLifetimeSeconds = lifetime;
      const { tokenSet } = await login();
      expect(tokenSet.expiresAt).toBeLessThanOrEqual(Date.now() + lifetime * 1000);
    });
  });

  describe('provider errors', () => {
    it.each([
      ['2', 'invalid_grant', 400, 'Invalid authorization code'],
      ['3', 'unauthorized_client', 403, 'Unauthorized access'],
      ['4', 'invalid_client', 401, 'Invalid client'],
      ['5', 'redirect_uri_mismatch', 400, 'Redirect URI mismatch.'],
      ['6', 'unsupported_grant_type', 400, 'The grant type is not supported'],
    ])('maps result_code %s to %s (HTTP %i)', async (resultCode, code, status, message) => {
      const authCode = await authorize();
      fake.forceError('token', resultCode);
      const err = await rejection(engine.exchangeCode(def, { code: authCode }));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(err).toMatchObject({
        code,
        status,
        providerCode: resultCode,
        providerMessage: message,
        upstreamStatus: 200,
        provider: 'isolarcloud',
        operation: 'exchange',
      });
      expectNoSecrets(err, [authCode, fake.secretKey]);
    });

    it('refuses a replayed code without echoing the code into the error', async () => {
      const code = await authorize();
      const first = await engine.exchangeCode(def, { code });
      const err = await rejection(engine.exchangeCode(def, { code }));
      expect(err).toMatchObject({ code: 'invalid_grant', providerCode: '2' });
      expect(err.providerMessage).toBe('Invalid authorization code: [redacted]');
      expectNoSecrets(err, [code, fake.secretKey, first.tokenSet.accessToken]);
    });

    it('answers a wrong secret key with invalid_client', async () => {
      const code = await authorize();
      const err = await rejection(
        engine.exchangeCode(isolarcloud(options({ secretKey: 'wrong-secret' })), { code }),
      );
      expect(err).toMatchObject({ code: 'invalid_client', providerCode: '4', status: 401 });
      expectNoSecrets(err, [code, 'wrong-secret']);
    });

    it('maps a redirect_uri mismatch to redirect_uri_mismatch despite its RFC error field', async () => {
      const code = await authorize();
      const other = isolarcloud(options({ redirectUri: `${REDIRECT}/other` }));
      const err = await rejection(engine.exchangeCode(other, { code }));
      expect(err).toMatchObject({ code: 'redirect_uri_mismatch', providerCode: '5' });
      expect(JSON.parse(err.redactedBody!)).toMatchObject({
        error: 'invalid_grant',
        result_data: null,
      });
    });

    it.each([
      ['html-200', UnexpectedResponseError, 'invalid_response'],
      ['html-502', UnexpectedResponseError, 'server_error'],
      ['truncated-json', UnexpectedResponseError, 'invalid_response'],
    ] as const)('turns a %s answer into %p %s', async (fault, type, code) => {
      const authCode = await authorize();
      fake.injectFault('token', fault);
      const err = await rejection(engine.exchangeCode(def, { code: authCode }));
      expect(err).toBeInstanceOf(type);
      expect(err).toMatchObject({ code, status: 502, operation: 'exchange' });
      expectNoSecrets(err, [authCode, fake.secretKey]);
    });

    it('turns a hanging token endpoint into a timeout', async () => {
      const authCode = await authorize();
      fake.injectFault('token', 'hang');
      const err = await rejection(
        new AuthCodeEngine({ timeoutMs: 200 }).exchangeCode(def, { code: authCode }),
      );
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'timeout', status: 504 });
      expectNoSecrets(err, [authCode, fake.secretKey]);
    });

    it('refuses a success envelope without an access token', () => {
      const body =
        '{"req_serial_num":"x","result_code":"1","result_msg":"success","result_data":{"auth_user":1}}';
      expect(() => readTokenResponse(def, json(body), 'exchange')).toThrow(UnexpectedResponseError);
    });

    it.each([
      ['E00003', 'token_dead', 401],
      ['E999', 'rate_limited', 429],
    ])('maps the API result_code %s to %s', (resultCode, code, status) => {
      const body = { result_code: resultCode, result_msg: 'x', result_data: null };
      const err = providerError(def, json(JSON.stringify(body)), body, 'api');
      expect(err).toMatchObject({ code, status, providerCode: resultCode });
    });
  });

  describe('refresh', () => {
    it('sends a JSON POST to refreshToken with only appkey and refresh_token', async () => {
      const { tokenSet } = await login();
      await engine.refresh(def, tokenSet.refreshToken!);
      const [sent] = fake.requestsTo('refresh');
      expect(sent.path).toBe('/openapi/apiManage/refreshToken');
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.headers['x-access-key']).toBe(fake.secretKey);
      expect(JSON.parse(sent.rawBody)).toEqual({
        appkey: fake.appKey,
        refresh_token: tokenSet.refreshToken,
      });
    });

    it('adds grant_type when refreshIncludesGrantType is set', async () => {
      const d = isolarcloud(options({ refreshIncludesGrantType: true }));
      const { tokenSet } = await login(d);
      await engine.refresh(d, tokenSet.refreshToken!);
      expect(fake.requestsTo('refresh')[0].body).toEqual({
        appkey: fake.appKey,
        grant_type: 'refresh_token',
        refresh_token: tokenSet.refreshToken,
      });
    });

    it('uses the rotated refresh token next time', async () => {
      const first = await login();
      const second = await engine.refresh(def, first.tokenSet.refreshToken!);
      expect(second.tokenSet.refreshToken).not.toBe(first.tokenSet.refreshToken);
      expect(second.tokenSet.accessToken).not.toBe(first.tokenSet.accessToken);
      const third = await engine.refresh(def, second.tokenSet.refreshToken!);
      expect(third.tokenSet.refreshToken).not.toBe(second.tokenSet.refreshToken);
      expect(fake.count('refresh')).toBe(2);
    });

    it('is refused when an old refresh token is reused, and the whole grant dies', async () => {
      const first = await login();
      const second = await engine.refresh(def, first.tokenSet.refreshToken!);
      const reuse = await rejection(engine.refresh(def, first.tokenSet.refreshToken!));
      expect(reuse).toBeInstanceOf(ProviderRejectedError);
      expect(reuse).toMatchObject({
        code: 'invalid_grant',
        providerCode: '2',
        operation: 'refresh',
        status: 400,
      });
      expectNoSecrets(reuse, [
        first.tokenSet.refreshToken!,
        second.tokenSet.refreshToken!,
        fake.secretKey,
      ]);
      const after = await rejection(engine.refresh(def, second.tokenSet.refreshToken!));
      expect(after).toMatchObject({ code: 'invalid_grant', providerCode: '2' });
    });

    it('keeps the old refresh token when the answer carries none', async () => {
      fake.rotateRefreshTokens = false;
      const first = await login();
      const second = await engine.refresh(def, first.tokenSet.refreshToken!);
      expect(second.payload.refresh_token).toBeUndefined();
      expect(second.tokenSet.refreshToken).toBe(first.tokenSet.refreshToken);
      const third = await engine.refresh(def, second.tokenSet.refreshToken!);
      expect(third.tokenSet.accessToken).not.toBe(second.tokenSet.accessToken);
    });

    it('maps refresh envelope errors and garbage to typed errors', async () => {
      const { tokenSet } = await login();
      fake.forceError('refresh', '4');
      const refused = await rejection(engine.refresh(def, tokenSet.refreshToken!));
      expect(refused).toMatchObject({
        code: 'invalid_client',
        providerCode: '4',
        operation: 'refresh',
      });
      fake.injectFault('refresh', 'html-502');
      const garbage = await rejection(engine.refresh(def, tokenSet.refreshToken!));
      expect(garbage).toBeInstanceOf(UnexpectedResponseError);
      expectNoSecrets(garbage, [tokenSet.refreshToken!, tokenSet.accessToken, fake.secretKey]);
    });
  });
});
