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
      redirectUrl: `${REDIRECT}?next=/admin`,
    });
    const location = new URL(res.headers.get('location')!);
    expect([...location.searchParams.keys()].sort()).toEqual(['code', 'state']);
  });

  it('answers 400 for an unknown applicationId or an unregistered redirectUrl', async () => {
    const unknown = await consentQuery({
      decision: 'approve',
      applicationId: '999',
      redirectUrl: REDIRECT,
    });
    expect(unknown.status).toBe(400);
    fake.redirectUri = REDIRECT;
    const elsewhere = await consentQuery({
      decision: 'approve',
      applicationId: fake.applicationId,
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
});
