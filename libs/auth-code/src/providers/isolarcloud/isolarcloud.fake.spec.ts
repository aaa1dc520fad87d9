import { AuthCodeEngine } from '../../engine/auth-code.engine';
import { FakeIsolarcloud } from './isolarcloud.fake';
import {
  ISOLARCLOUD_RATE_LIMIT_CODES,
  ISOLARCLOUD_TOKEN_DEAD_CODES,
  isolarcloud,
  isolarcloudPlantListRequest,
  type IsolarcloudOptions,
} from './isolarcloud.provider';

const REDIRECT = 'https://app.example.com/auth/isolarcloud/callback';

describe('FakeIsolarcloud', () => {
  let fake: FakeIsolarcloud;
  let options: IsolarcloudOptions;
  const engine = new AuthCodeEngine({ timeoutMs: 2000 });

  const consentQuery = (params: Record<string, string>) =>
    fetch(`${fake.url}/consent?${new URLSearchParams(params)}`, { redirect: 'manual' });

  async function accessToken(): Promise<string> {
    const def = isolarcloud(options);
    const callback = new URL(await fake.consent(engine.authorizeUrl(def, { state: 's' })));
    const result = await engine.exchangeCode(def, { code: callback.searchParams.get('code')! });
    return result.tokenSet.accessToken;
  }

  async function plantList(token: string, page = 1, size = 50): Promise<Record<string, any>> {
    const res = await engine.http.send(
      isolarcloudPlantListRequest(options, token, page, size),
      'isolarcloud',
      'api',
    );
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as Record<string, any>;
  }

  beforeEach(async () => {
    fake = new FakeIsolarcloud({
      redirectUri: REDIRECT,
      plants: [
        { id: '1800490', name: 'Roof', location: 'Sydney' },
        { id: '1800491', name: 'Barn', online: false },
      ],
    });
    await fake.start();
    options = {
      appKey: fake.appKey,
      secretKey: fake.secretKey,
      applicationId: fake.applicationId,
      redirectUri: REDIRECT,
      loginUrl: fake.url,
      gatewayUrl: fake.url,
    };
  });
  afterEach(() => fake.stop());

  it('serves a login page that reads its parameters from the location', async () => {
    const res = await fetch(`${fake.url}/?state=abc`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('id="approve"');
    expect(html).toContain('location.hash');
  });

  it('redirects a denial with access_denied and the state', async () => {
    const url = engine.authorizeUrl(isolarcloud(options), { state: 'st' });
    const callback = new URL(await fake.consent(url, 'deny'));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      error: 'access_denied',
      state: 'st',
    });
  });

  it('strips extra query parameters from redirectUrl', async () => {
    const res = await consentQuery({
      decision: 'approve',
      state: 'st',
      applicationId: fake.applicationId,
      cloudId: fake.cloudId,
      redirectUrl: `${REDIRECT}?next=/admin`,
    });
    const location = new URL(res.headers.get('location')!);
    expect([...location.searchParams.keys()].sort()).toEqual(['code', 'state']);
  });

  it('answers 400 for an unknown applicationId or an unregistered redirectUrl', async () => {
    const unknown = await consentQuery({
      decision: 'approve',
      applicationId: '999',
      cloudId: fake.cloudId,
      redirectUrl: REDIRECT,
    });
    expect(unknown.status).toBe(400);
    const elsewhere = await consentQuery({
      decision: 'approve',
      applicationId: fake.applicationId,
      cloudId: fake.cloudId,
      redirectUrl: 'https://evil.example/cb',
    });
    expect(elsewhere.status).toBe(400);
  });

  it('lists the authorized plants for a live token, paginated', async () => {
    const token = await accessToken();
    const first = await plantList(token, 1, 1);
    expect(first).toMatchObject({
      result_code: '1',
      result_msg: 'success',
      result_data: {
        rowCount: 2,
        pageList: [{ ps_id: 1800490, ps_name: 'Roof', ps_location: 'Sydney', online_status: 1 }],
      },
    });
    expect(first.req_serial_num).toMatch(/^\d{8}[0-9a-f]{24}$/);
    const second = await plantList(token, 2, 1);
    expect(second.result_data.pageList).toEqual([
      { ps_id: 1800491, ps_name: 'Barn', ps_location: '', online_status: 0 },
    ]);
    const [sent] = fake.requestsTo('plants');
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent.headers['x-access-key']).toBe(fake.secretKey);
    expect(sent.body).toEqual({ appkey: fake.appKey, page: 1, size: 1 });
  });

  it('answers an expired or unknown token with a token-dead result_code inside HTTP 200', async () => {
    const token = await accessToken();
    fake.expireAccessTokens();
    for (const body of [await plantList(token), await plantList('not-a-token')]) {
      expect(body).toMatchObject({ result_code: 'E00003', result_data: null });
      expect(ISOLARCLOUD_TOKEN_DEAD_CODES).toContain(body.result_code);
    }
  });

  it('kills the access tokens of a grant whose refresh token was reused', async () => {
    const def = isolarcloud(options);
    const callback = new URL(await fake.consent(engine.authorizeUrl(def, { state: 's' })));
    const first = await engine.exchangeCode(def, { code: callback.searchParams.get('code')! });
    const second = await engine.refresh(def, first.tokenSet.refreshToken!);
    await expect(engine.refresh(def, first.tokenSet.refreshToken!)).rejects.toThrow();
    expect((await plantList(second.tokenSet.accessToken)).result_code).toBe('E00003');
  });

  it('answers a forced E-code once', async () => {
    const token = await accessToken();
    fake.forceError('plants', 'E999');
    expect(await plantList(token)).toMatchObject({ result_code: 'E999', result_data: null });
    expect(ISOLARCLOUD_RATE_LIMIT_CODES).toContain('E999');
    expect((await plantList(token)).result_code).toBe('1');
  });

  describe('refuses what the real service refuses', () => {
    const gateway = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${fake.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-key': fake.secretKey, ...headers },
        body,
      });
    const json = (o: Record<string, unknown>) => JSON.stringify({ appkey: fake.appKey, ...o });

    async function resultCode(res: Response): Promise<string> {
      expect(res.status).toBe(200); // deviates from RFC 6749: errors are HTTP 200 too
      const body = (await res.json()) as { result_code: string; result_data: unknown };
      if (body.result_code !== '1') expect(body.result_data).toBeNull();
      return body.result_code;
    }

    async function code(): Promise<string> {
      const url = engine.authorizeUrl(isolarcloud(options), { state: 's' });
      return new URL(await fake.consent(url)).searchParams.get('code')!;
    }

    const exchangeBody = async (extra: Record<string, unknown> = {}) =>
      json({
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: REDIRECT,
        ...extra,
      });

    it('answers 400 at the login app for an unknown cloudId or a repeated parameter', async () => {
      const base = {
        decision: 'approve',
        applicationId: fake.applicationId,
        redirectUrl: REDIRECT,
      };
      expect((await consentQuery({ ...base, cloudId: '3' })).status).toBe(400);
      const repeated = new URLSearchParams({ ...base, cloudId: fake.cloudId });
      repeated.append('redirectUrl', 'https://evil.example/cb');
      const res = await fetch(`${fake.url}/consent?${repeated}`, { redirect: 'manual' });
      expect([res.status, res.headers.get('location')]).toEqual([400, null]);
    });

    it('shows no consent outside the #/authorized-app route', async () => {
      const url = engine.authorizeUrl(isolarcloud(options), { state: 's' });
      await expect(fake.consent(url.replace('#/authorized-app?', '#/login?'))).rejects.toThrow(
        /no page at #\/login/,
      );
    });

    it('answers result_code 4 for a form body, a missing secret key or a wrong appkey', async () => {
      const form = new URLSearchParams({
        appkey: fake.appKey,
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: REDIRECT,
      }).toString();
      const formType = { 'content-type': 'application/x-www-form-urlencoded' };
      expect(await resultCode(await gateway('/openapi/apiManage/token', form, formType))).toBe('4');
      const noKey = await gateway('/openapi/apiManage/token', await exchangeBody(), {
        'x-access-key': '',
      });
      expect(await resultCode(noKey)).toBe('4');
      const wrongAppKey = await exchangeBody({ appkey: 'OTHER' });
      expect(await resultCode(await gateway('/openapi/apiManage/token', wrongAppKey))).toBe('4');
    });

    it('answers result_code 6 for a wrong grant_type and 5 for another redirect_uri', async () => {
      const wrongGrant = await exchangeBody({ grant_type: 'password' });
      expect(await resultCode(await gateway('/openapi/apiManage/token', wrongGrant))).toBe('6');
      const other = await exchangeBody({ redirect_uri: `${REDIRECT}/other` });
      const res = await gateway('/openapi/apiManage/token', other);
      expect(await res.clone().json()).toMatchObject({ error: 'invalid_grant' });
      expect(await resultCode(res)).toBe('5');
    });

    it('answers result_code 2 for a replayed code and an unknown refresh token', async () => {
      const body = await exchangeBody();
      expect(await resultCode(await gateway('/openapi/apiManage/token', body))).toBe('1');
      expect(await resultCode(await gateway('/openapi/apiManage/token', body))).toBe('2');
      const unknown = json({ refresh_token: 'b2bd40bd-41b0-4329-9150-070a25ce8ca2' });
      expect(await resultCode(await gateway('/openapi/apiManage/refreshToken', unknown))).toBe('2');
    });

    it('answers a refresh with a form body 4 and a wrong grant_type 6', async () => {
      const formType = { 'content-type': 'application/x-www-form-urlencoded' };
      const form = `appkey=${fake.appKey}&refresh_token=x`;
      const asForm = await gateway('/openapi/apiManage/refreshToken', form, formType);
      expect(await resultCode(asForm)).toBe('4');
      const wrong = json({ refresh_token: 'x', grant_type: 'authorization_code' });
      expect(await resultCode(await gateway('/openapi/apiManage/refreshToken', wrong))).toBe('6');
    });

    it('answers a plant-list call without a bearer token E00003, and a form body 4', async () => {
      const list = json({ page: 1, size: 10 });
      expect(await resultCode(await gateway('/openapi/platform/queryPowerStationList', list))).toBe(
        'E00003',
      );
      const formType = { 'content-type': 'application/x-www-form-urlencoded' };
      const asForm = await gateway(
        '/openapi/platform/queryPowerStationList',
        `appkey=${fake.appKey}`,
        { ...formType, authorization: `Bearer ${await accessToken()}` },
      );
      expect(await resultCode(asForm)).toBe('4');
    });
  });
});
