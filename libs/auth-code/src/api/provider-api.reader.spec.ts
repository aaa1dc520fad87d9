import type { HttpResponse } from '../engine/http-client';
import { HttpClient } from '../engine/http-client';
import { ISOLARCLOUD_API, isolarcloudApiOptions } from '../providers/isolarcloud/isolarcloud.api';
import { isolarcloud } from '../providers/isolarcloud/isolarcloud.provider';
import { TENCENT_CIAM_API } from '../providers/tencent-ciam/tencent-ciam.api';
import { tencentCiam } from '../providers/tencent-ciam/tencent-ciam.provider';
import { XT_API } from '../providers/xt/xt.api';
import { xt } from '../providers/xt/xt.provider';
import { callProviderApi } from './provider-api.caller';
import { genericApiDescription } from './provider-api.description';
import { bearerError, readApiResponse } from './provider-api.reader';

const iso = isolarcloud({
  appKey: 'APPKEY',
  secretKey: 'SECRET',
  applicationId: '1',
  redirectUri: 'https://app.example/cb',
  gatewayUrl: 'https://gw.example/',
});
const tencent = tencentCiam({
  issuer: 'https://t.example',
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'https://app.example/cb',
});
const xtDef = xt({
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'https://app.example/cb',
  authorizeUrl: 'https://xt.example/a',
  userinfoUrl: 'https://xt.example/u',
});

const res = (status: number, body: unknown, extra: Partial<HttpResponse> = {}): HttpResponse => ({
  status,
  contentType: typeof body === 'string' ? 'text/html' : 'application/json',
  wwwAuthenticate: '',
  text: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
});
const fail = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected a throw');
};
const isoEnvelope = ISOLARCLOUD_API.calls.plants.response;
const xtEnvelope = XT_API.calls.profile.response;

describe('readApiResponse', () => {
  it('returns the payload inside the envelope', () => {
    const body = {
      result_code: '1',
      result_msg: 'success',
      result_data: { rowCount: 0, pageList: [] },
    };
    expect(readApiResponse(iso, res(200, body), isoEnvelope)).toEqual({
      rowCount: 0,
      pageList: [],
    });
    expect(
      readApiResponse(
        xtDef,
        res(200, { rc: 0, mc: 'SUCCESS', result: { user_id: '1' } }),
        xtEnvelope,
      ),
    ).toEqual({
      user_id: '1',
    });
    expect(readApiResponse(tencent, res(200, { sub: 'u' }))).toEqual({ sub: 'u' });
  });

  it('reads any 401 as token_dead, with the Bearer challenge error as provider code', () => {
    const challenge = {
      wwwAuthenticate: 'Bearer error="invalid_token", error_description="expired"',
    };
    expect(fail(() => readApiResponse(tencent, res(401, '', challenge)))).toMatchObject({
      code: 'token_dead',
      status: 401,
      operation: 'api',
      providerCode: 'invalid_token',
      upstreamStatus: 401,
    });
    expect(
      fail(() => readApiResponse(xtDef, res(401, { rc: 1, mc: 'TOKEN_INVALID' }), xtEnvelope)),
    ).toMatchObject({
      code: 'token_dead',
      providerCode: 'TOKEN_INVALID',
    });
  });

  it('reads an invalid_token challenge as token_dead whatever the status', () => {
    const err = fail(() =>
      readApiResponse(tencent, res(400, '', { wwwAuthenticate: 'Bearer error="invalid_token"' })),
    );
    expect(err).toMatchObject({ code: 'token_dead' });
  });

  it.each([
    ['E00003', 'token_dead'],
    ['E919', 'token_dead'],
    ['E998', 'rate_limited'],
    ['E555', 'provider_error'],
  ])('maps iSolarCloud envelope code %s (HTTP 200) to %s', (code, normalized) => {
    const body = { result_code: code, result_msg: 'no', result_data: null };
    expect(fail(() => readApiResponse(iso, res(200, body), isoEnvelope))).toMatchObject({
      code: normalized,
      providerCode: code,
      upstreamStatus: 200,
    });
  });

  it("does not apply XT's token-call default (invalid_grant) to API refusals", () => {
    const err = fail(() =>
      readApiResponse(xtDef, res(200, { rc: 1, mc: 'SOMETHING', ma: [] }), xtEnvelope),
    );
    expect(err).toMatchObject({ code: 'provider_error', providerCode: 'SOMETHING' });
  });

  it('reads 429 as rate_limited', () => {
    expect(
      fail(() => readApiResponse(xtDef, res(429, { rc: 1, mc: 'TOO_MANY_REQUESTS' }), xtEnvelope)),
    ).toMatchObject({
      code: 'rate_limited',
      status: 429,
      providerCode: 'TOO_MANY_REQUESTS',
    });
  });

  it.each([
    [200, '<html>maintenance</html>', 'invalid_response'],
    [200, '{"result_code":"1",', 'invalid_response'],
    [502, '<html>bad gateway</html>', 'server_error'],
    [200, { unrelated: true }, 'invalid_response'],
  ])('turns garbage (HTTP %s %j) into %s', (status, body, code) => {
    expect(fail(() => readApiResponse(iso, res(status, body), isoEnvelope))).toMatchObject({
      code,
      provider: 'isolarcloud',
    });
  });

  it('cuts the access token out of an answer that echoes it', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl';
    const body = { result_code: 'E912', result_msg: `token ${token} expired`, result_data: null };
    const err = fail(() => readApiResponse(iso, res(200, body), isoEnvelope, token));
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(token);
    const ok = { result_code: '1', result_data: { echo: token } };
    expect(JSON.stringify(readApiResponse(iso, res(200, ok), isoEnvelope, token))).not.toContain(
      token,
    );
  });
});

describe('bearerError', () => {
  it.each([
    ['Bearer error="invalid_token"', 'invalid_token'],
    ['Bearer realm="x", error="insufficient_scope", scope="a"', 'insufficient_scope'],
    ['Bearer', undefined],
    ['Basic realm="x"', undefined],
  ])('reads %s', (header, error) => expect(bearerError(header)).toBe(error));
});

describe('API descriptions', () => {
  it("iSolarCloud: the plant list goes to the definition's gateway with its app key and secret", () => {
    const req = ISOLARCLOUD_API.calls.plants.request(iso, 'AT');
    expect(req).toMatchObject({
      url: 'https://gw.example/openapi/platform/queryPowerStationList',
      method: 'POST',
    });
    expect(req.headers).toMatchObject({ authorization: 'Bearer AT', 'x-access-key': 'SECRET' });
    expect(JSON.parse(req.body!)).toEqual({ appkey: 'APPKEY', page: 1, size: 50 });
    expect(isolarcloudApiOptions(iso).gatewayUrl).toBe('https://gw.example');
  });

  it('Tencent and XT: GET userinfo with the Bearer token', () => {
    expect(TENCENT_CIAM_API.calls.profile.request(tencent, 'AT')).toMatchObject({
      url: 'https://t.example/userinfo',
      method: 'GET',
      headers: { authorization: 'Bearer AT' },
    });
    expect(XT_API.calls.profile.request(xtDef, 'AT').url).toBe('https://xt.example/u');
  });

  it('gives a provider without a description its userinfo endpoint as profile, or nothing', () => {
    expect(Object.keys(genericApiDescription(tencent)!.calls)).toEqual(['profile']);
    expect(genericApiDescription(iso)).toBeUndefined();
  });

  it('refuses an undescribed call with invalid_config before sending anything', async () => {
    // a request would fail as network_error/timeout (nothing listens at gw.example from here)
    const http = new HttpClient({ timeoutMs: 200 });
    await expect(callProviderApi(http, iso, ISOLARCLOUD_API, 'orders', 'AT')).rejects.toMatchObject(
      {
        code: 'invalid_config',
        operation: 'api',
      },
    );
    await expect(callProviderApi(http, iso, undefined, 'profile', 'AT')).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});

describe('bearerError on hostile headers', () => {
  it('reads past error=" occurrences inside words, case-insensitively', () => {
    expect(bearerError('bearer xerror="no", error="invalid_token"')).toBe('invalid_token');
    expect(bearerError('  BEARER ERROR="invalid_token"')).toBe('invalid_token');
    expect(bearerError('Bearerx error="invalid_token"')).toBeUndefined();
  });

  it('looks at the first 1 KB of a 700 KB challenge only', () => {
    expect(bearerError(`Bearer ${'xerror="'.repeat(100_000)}`)).toBeUndefined();
    expect(bearerError(`Bearer ${' '.repeat(2000)}error="invalid_token"`)).toBeUndefined();
    expect(bearerError('Bearer error="error="error="')).toBe('error=');
  });
});
