import fc from 'fast-check';
import {
  AuthCodeError,
  isolarcloud,
  KnownSecrets,
  MAX_TOKEN_LIFETIME_MS,
  oauth2,
  readApiResponse,
  readTokenResponse,
  tencentCiam,
  TOKEN_FIELD_LIMITS,
  xt,
  type HttpResponse,
  type ProviderDefinition,
} from 'nestjs-auth-code';
import type { IdTokenValidator } from '../../libs/auth-code/src/providers/oidc/id-token.validator';
import { buildOidcDefinition } from '../../libs/auth-code/src/providers/oidc/discovery-definition.builder';
import { fuzzRuns } from '../support/fuzz';

const NOW = 1_700_000_000_000;
/** What the request sent: no error may quote any of these. */
const SECRET = 'fz-client-secret';
const CODE = 'fz-code-4711';
const REDIRECT = 'https://app.example/auth/p/callback';

const DEFINITIONS: Array<[string, ProviderDefinition]> = [
  [
    'isolarcloud',
    isolarcloud({ appKey: 'k', secretKey: SECRET, applicationId: '1', redirectUri: REDIRECT }),
  ],
  [
    'tencent-ciam',
    tencentCiam({
      issuer: 'https://t.example',
      clientId: 'c',
      clientSecret: SECRET,
      redirectUri: REDIRECT,
    }),
  ],
  [
    'xt',
    xt({
      clientId: 'c',
      clientSecret: SECRET,
      authorizeUrl: 'https://xt.example/a',
      redirectUri: REDIRECT,
    }),
  ],
  [
    'oidc',
    buildOidcDefinition(
      { issuer: 'https://op.example', clientId: 'c', clientSecret: SECRET, redirectUri: REDIRECT },
      {
        issuer: 'https://op.example',
        authorization_endpoint: 'https://op.example/auth',
        token_endpoint: 'https://op.example/token',
        jwks_uri: 'https://op.example/jwks',
      } as never,
      {} as IdTokenValidator,
    ),
  ],
  [
    'oauth2',
    oauth2({
      id: 'p',
      clientId: 'c',
      clientSecret: SECRET,
      redirectUri: REDIRECT,
      authorizeUrl: 'https://o.example/a',
      tokenUrl: 'https://o.example/t',
    }),
  ],
];

/** Strings an upstream might send, the request's secrets and long runs among them. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(SECRET, CODE, `bad ${SECRET}`, encodeURIComponent(`${CODE} ${SECRET}`)),
  fc.constantFrom('constructor', '__proto__', 'toString', 'invalid_grant', '1', 'E00003', '0'),
  fc.integer({ min: 1, max: 40_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 1, max: 200 }).map((n) => 'eyJhbGciOiJub25lIn0.'.repeat(n)),
);
/** Any JSON value, favouring the shapes token answers have. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.double(),
  fc.constantFrom(1e20, 1e308, -1e308, 0, -30, null, true, [], {}),
  fc.array(text, { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** Provider codes: the mapped ones, and names every object inherits. */
const code = fc.oneof(
  fc.constantFrom(
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'invalid_grant',
    '2',
    'E00003',
  ),
  value,
);
const tokenFields = fc.record(
  {
    access_token: value,
    refresh_token: value,
    id_token: value,
    expires_in: value,
    token_type: value,
    scope: value,
    error: code,
    error_description: value,
    result_code: fc.oneof(fc.constantFrom('1', 1), code),
    result_msg: value,
    rc: fc.oneof(fc.constantFrom(0, '0', 1), value),
    mc: code,
    ma: value,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  tokenFields.map((f) => JSON.stringify(f)),
  fc
    .tuple(tokenFields, fc.constantFrom('result_data', 'result'))
    .map(([f, k]) => JSON.stringify({ result_code: '1', rc: 0, [k]: f })),
  text,
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  tokenFields.map((f) => JSON.stringify(f).slice(0, -3)),
);
const response: fc.Arbitrary<HttpResponse> = fc.record({
  status: fc.oneof(
    fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503),
    fc.integer({ min: 100, max: 599 }),
  ),
  contentType: fc.oneof(fc.constantFrom('application/json', 'text/html', ''), text),
  wwwAuthenticate: fc.oneof(fc.constant(''), fc.constantFrom('Bearer error="invalid_token"'), text),
  text: body,
});

/** Every text an error exposes: message, code, provider message, redacted body, JSON view. */
function exposed(err: AuthCodeError): string {
  return [
    err.message,
    err.providerCode,
    err.providerMessage,
    err.redactedBody,
    JSON.stringify(err),
  ].join('\n');
}

/** The outcome is a typed error that quotes no secret, or a token set within every limit. */
function check(run: () => unknown, secrets: string[]): void {
  let result: unknown;
  try {
    result = run();
  } catch (err) {
    if (!(err instanceof AuthCodeError)) throw err;
    // a 4xx or a 502/503/504; 500 would mean our own bug (an unknown code, a prototype key...)
    expect(typeof err.code).toBe('string');
    expect([400, 401, 403, 429, 502, 503, 504]).toContain(err.status);
    const shown = exposed(err);
    for (const s of secrets) expect(shown).not.toContain(s);
    expect(err.message.length).toBeLessThan(1200);
    return;
  }
  const tokenSet = (result as { tokenSet?: Record<string, unknown> }).tokenSet;
  if (!tokenSet) return;
  expect(typeof tokenSet.accessToken).toBe('string');
  expect((tokenSet.accessToken as string).length).toBeLessThanOrEqual(
    TOKEN_FIELD_LIMITS.accessToken,
  );
  expect(Number.isFinite(tokenSet.expiresAt)).toBe(true);
  expect(Math.abs((tokenSet.expiresAt as number) - NOW)).toBeLessThanOrEqual(MAX_TOKEN_LIFETIME_MS);
}

/**
 * Issue 9 fuzz: every provider's token-response reader (and the API reader) fed arbitrary
 * statuses, content types and bodies — echoes of the request's secrets, absurd expiries,
 * prototype-named codes, long runs, truncated JSON — answers a typed AuthCodeError without any
 * secret in it, or a TokenResponse within the field limits and the expiry range; never another
 * exception. Seeded: see test/support/fuzz.ts to reproduce a failure.
 */
describe.each(DEFINITIONS)('%s token answers (fuzz)', (_id, def) => {
  const secrets = new KnownSecrets([SECRET, CODE]);

  it('exchange: a typed error without secrets, or a bounded token set', () => {
    fc.assert(
      fc.property(response, (res) =>
        check(() => readTokenResponse(def, res, 'exchange', NOW, secrets), [SECRET, CODE]),
      ),
      fuzzRuns(300),
    );
  });

  it('API calls: a typed error without the token or client secret, or a payload', () => {
    fc.assert(
      fc.property(response, (res) =>
        check(() => readApiResponse(def, res, {}, CODE), [SECRET, CODE]),
      ),
      fuzzRuns(150),
    );
  });
});
