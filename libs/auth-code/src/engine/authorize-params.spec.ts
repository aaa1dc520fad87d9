import { ConfigurationError } from '../errors/auth-code.errors';
import type { ProviderDefinition } from '../core/provider-definition';
import { checkAuthorizeParams, parseAuthorizeParams } from './authorize-params';
import { buildAuthorizeUrl } from './authorize-url.builder';

const def = (authorize: Partial<ProviderDefinition['authorize']>): ProviderDefinition => ({
  id: 'acme',
  displayName: 'Acme',
  client: { clientId: 'cid' },
  redirectUri: 'https://app.example/cb',
  authorize: { url: 'https://op.example/authorize', ...authorize },
  token: { exchange: { url: 'https://op.example/token' } },
  profile: () => ({ id: 'x' }),
});
const query = (d: ProviderDefinition) =>
  Object.fromEntries(new URL(buildAuthorizeUrl(d, { state: 'st' })).searchParams);

describe('prompt=consent for offline_access (OpenID Connect Core 11)', () => {
  it('is added when offline_access is asked for', () => {
    expect(query(def({ scope: ['openid', 'offline_access'] }))).toMatchObject({
      scope: 'openid offline_access',
      prompt: 'consent',
    });
  });

  it('is not added without offline_access', () => {
    expect(query(def({ scope: ['openid', 'profile'] }))).not.toHaveProperty('prompt');
  });

  it('gives way to a prompt the definition sets itself', () => {
    const q = query(
      def({ scope: ['openid', 'offline_access'], extraParams: { prompt: 'login consent' } }),
    );
    expect(q.prompt).toBe('login consent');
  });
});

describe('checkAuthorizeParams', () => {
  it('passes ordinary extra parameters through', () => {
    const params = { audience: 'https://api.example', acr_values: 'mfa', prompt: 'login' };
    expect(checkAuthorizeParams('acme', params)).toBe(params);
    expect(checkAuthorizeParams('acme', undefined)).toBeUndefined();
  });

  it.each([
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'redirect_uri',
    'client_id',
    'response_type',
    'scope',
    'response_mode',
    'State',
  ])('refuses %s with invalid_config, naming it', (name) => {
    expect(() => checkAuthorizeParams('acme', { [name]: 'x' })).toThrow(ConfigurationError);
    expect(() => checkAuthorizeParams('acme', { [name]: 'x' })).toThrow(
      new RegExp(`acme is misconfigured: the authorize parameter "${name}" is set by the library`),
    );
  });

  it("refuses the provider's own spelling of a standard parameter", () => {
    expect(() =>
      checkAuthorizeParams(
        'acme',
        { redirectUrl: 'https://evil.example' },
        { redirectUri: 'redirectUrl' },
      ),
    ).toThrow(/"redirectUrl" is set by the library/);
  });

  it('refuses an empty name and a value that is not text', () => {
    expect(() => checkAuthorizeParams('acme', { '': 'x' })).toThrow(/name must have 1 to 128/);
    expect(() => checkAuthorizeParams('acme', { a: 1 as unknown as string })).toThrow(/text value/);
  });
});

describe('parseAuthorizeParams (OIDC_AUTHORIZE_PARAMS)', () => {
  it('reads a query string, decoding values', () => {
    expect(
      parseAuthorizeParams('prompt=consent&audience=https%3A%2F%2Fapi.example&ui_locales=de+en'),
    ).toEqual({
      params: { prompt: 'consent', audience: 'https://api.example', ui_locales: 'de en' },
    });
    expect(parseAuthorizeParams('__proto__=x')).toEqual({ params: { ['__proto__']: 'x' } });
  });

  it.each([
    ['a reserved parameter', 'prompt=consent&state=fixed', /"state" is set by the library/],
    ['a repeated parameter', 'prompt=login&prompt=consent', /"prompt" is given twice/],
    ['a pair without =', 'prompt', /"prompt" is not a name=value pair/],
    ['an overlong value', `audience=${'a'.repeat(9000)}`, /at most 8192 characters/],
  ])('refuses %s', (_why, text, message) => {
    const read = parseAuthorizeParams(text);
    expect('problem' in read && read.problem).toMatch(message);
  });
});
