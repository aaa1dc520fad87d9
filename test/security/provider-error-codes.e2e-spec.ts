import type { FakeIsolarcloud, FakeTencentCiam, FakeXt } from 'nestjs-auth-code/testing';
import { Browser } from '../support/browser';
import { login } from '../support/login-flow';
import {
  isolarcloudFixture,
  tencentFixture,
  xtFixture,
  type ProviderFixture,
} from '../support/provider-fixtures';
import { useSeedApp } from '../support/seed-app';

/** One documented refusal: how to make the fake answer it, and what the browser must get. */
type Row<F> = [
  label: string,
  status: number,
  error: string,
  providerCode: string,
  force: (fake: F) => void,
];

const ISOLARCLOUD: Array<Row<FakeIsolarcloud>> = [
  ['result_code 2 (invalid code)', 400, 'invalid_grant', '2', (f) => f.forceError('token', '2')],
  [
    'result_code 3 (unauthorized)',
    403,
    'unauthorized_client',
    '3',
    (f) => f.forceError('token', '3'),
  ],
  ['result_code 4 (invalid client)', 401, 'invalid_client', '4', (f) => f.forceError('token', '4')],
  [
    'result_code 5 (redirect mismatch)',
    400,
    'redirect_uri_mismatch',
    '5',
    (f) => f.forceError('token', '5'),
  ],
  [
    'result_code 6 (grant type)',
    400,
    'unsupported_grant_type',
    '6',
    (f) => f.forceError('token', '6'),
  ],
];

const TENCENT: Array<Row<FakeTencentCiam>> = [
  [
    '401 invalid_client',
    401,
    'invalid_client',
    'invalid_client',
    (f) => f.forceError('token', { status: 401, body: { error: 'invalid_client' } }),
  ],
  [
    '400 unsupported_grant_type',
    400,
    'unsupported_grant_type',
    'unsupported_grant_type',
    (f) =>
      f.forceError('token', {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'OAuth 2.0 Parameter: grant_type',
          error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2',
        },
      }),
  ],
  [
    '400 invalid_grant',
    400,
    'invalid_grant',
    'invalid_grant',
    (f) => f.forceError('token', { status: 400, body: { error: 'invalid_grant' } }),
  ],
];

const XT: Array<Row<FakeXt>> = [
  [
    'rc 1 CODE_INVALID',
    400,
    'invalid_grant',
    'CODE_INVALID',
    (f) => f.forceError('token', 'CODE_INVALID', { ma: ['code'] }),
  ],
  [
    'rc 1 CLIENT_INVALID',
    400,
    'invalid_grant',
    'CLIENT_INVALID',
    (f) => f.forceError('token', 'CLIENT_INVALID'),
  ],
  ['rc 1 FAILURE', 400, 'invalid_grant', 'FAILURE', (f) => f.forceError('token', 'FAILURE')],
  [
    'rc 1 COMMON_002 (system busy)',
    503,
    'temporarily_unavailable',
    'COMMON_002',
    (f) => f.forceError('token', 'COMMON_002'),
  ],
  [
    'HTTP 429 TOO_MANY_REQUESTS',
    429,
    'rate_limited',
    'TOO_MANY_REQUESTS',
    (f) => f.rateLimit('token'),
  ],
];

/** Runs one provider's table against a real app and its fake. */
function providerTable<F extends ProviderFixture['fake']>(
  name: string,
  make: () => Promise<ProviderFixture<F>>,
  rows: Array<Row<F>>,
) {
  describe(`${name} refusals at the callback`, () => {
    const seed = useSeedApp(make);

    it.each(rows)(
      'turns %s into HTTP %i %s',
      async (_label, status, error, providerCode, force) => {
        force(seed.fx.fake);
        const browser = new Browser(seed.app.url);
        const { callback } = await login(browser, seed.fx.id, seed.fx.fake);
        expect(callback.status).toBe(status);
        expect(await callback.json()).toEqual({
          statusCode: status,
          error,
          provider: seed.fx.id,
          providerCode,
          message: expect.stringMatching(
            new RegExp(`^${seed.fx.id} refused the exchange request: .+`),
          ),
        });
        expect(seed.fx.fake.count(seed.fx.routes.token)).toBe(1);
        expect((await browser.get('/me')).status).toBe(401);
      },
    );
  });
}

/** Every documented error code of every provider → the right typed error and HTTP status. */
providerTable('iSolarCloud', isolarcloudFixture, ISOLARCLOUD);
providerTable('Tencent Cloud CIAM', tencentFixture, TENCENT);
providerTable('XT.COM', xtFixture, XT);
