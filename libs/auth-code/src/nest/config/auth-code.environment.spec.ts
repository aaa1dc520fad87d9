import { ConfigurationError } from '../../errors/auth-code.errors';
import { resolveOptions } from '../options/auth-code.options';
import { optionsFromEnvironment } from './options-from-environment';
import { validateAuthCodeEnvironment } from './validate-environment';

const long = (c: string) => c.repeat(32);

function problems(env: Record<string, string>): string {
  try {
    validateAuthCodeEnvironment(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  return '';
}

describe('AUTH_SESSION_SECRET', () => {
  it('accepts one secret or a list of secrets of 32+ characters each', () => {
    expect(problems({ AUTH_SESSION_SECRET: long('a') })).toBe('');
    expect(problems({ AUTH_SESSION_SECRET: `${long('a')},${long('b')}` })).toBe('');
    expect(problems({ AUTH_SESSION_SECRET: `${long('a')} , ${long('b')}` })).toBe('');
  });

  it.each([
    ['a short first (signing) entry behind a long one', `x,${long('y')}`],
    ['a short second entry', `${long('a')},short`],
    ['an empty entry', `${long('a')},`],
    ['a single short secret', 'too-short'],
  ])('refuses %s, naming the variable', (_why, value) => {
    expect(problems({ AUTH_SESSION_SECRET: value })).toMatch(
      /AUTH_SESSION_SECRET: every comma-separated secret must be at least 32 characters/,
    );
  });
});

describe('AUTH_STORE and the store variables', () => {
  it.each([
    'memory',
    'redis://127.0.0.1:6379',
    'rediss://cache.example:6380/1',
    'redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002',
    'postgres://user@127.0.0.1:5432/db',
    'postgresql://user:pw@db.example/app?sslmode=require',
  ])('accepts %s', (store) => {
    expect(problems({ AUTH_STORE: store })).toBe('');
  });

  it.each(['mongodb://127.0.0.1', 'postgres:/x', 'redis-cluster:', 'sqlite://file'])(
    'refuses %s, naming the variable and what it takes',
    (store) => {
      expect(problems({ AUTH_STORE: store })).toContain(
        'AUTH_STORE must be "memory" or a redis://, rediss://, redis-cluster://, postgres:// or postgresql:// URL',
      );
    },
  );

  it('takes the PostgreSQL migration switch, schema and table prefix, and refuses bad ones by name', () => {
    const good = {
      AUTH_STORE_MIGRATE: 'off',
      AUTH_STORE_SCHEMA: 'auth',
      AUTH_STORE_TABLE_PREFIX: 'app_',
    };
    expect(problems(good)).toBe('');
    const message = problems({
      AUTH_STORE_MIGRATE: 'always',
      AUTH_STORE_SCHEMA: 'Auth-Schema',
      AUTH_STORE_TABLE_PREFIX: 'x;drop',
    });
    expect(message).toContain('AUTH_STORE_MIGRATE');
    expect(message).toContain('AUTH_STORE_SCHEMA must be lowercase letters, digits and _');
    expect(message).toContain('AUTH_STORE_TABLE_PREFIX must be lowercase letters, digits and _');
  });
});

describe('AUTH_MAX_RESPONSE_BYTES', () => {
  it('becomes maxResponseBytes, also for the providers that fetch their own documents', () => {
    const env = validateAuthCodeEnvironment({
      AUTH_MAX_RESPONSE_BYTES: '4096',
      OIDC_ISSUER: 'https://op.example',
      OIDC_CLIENT_ID: 'c',
    });
    expect(env.AUTH_MAX_RESPONSE_BYTES).toBe(4096);
    const options = optionsFromEnvironment(env, () => undefined);
    expect(options.maxResponseBytes).toBe(4096);
    expect(resolveOptions(options).maxResponseBytes).toBe(4096);
    expect(resolveOptions({ ...options, maxResponseBytes: undefined }).maxResponseBytes).toBe(
      1024 * 1024,
    );
  });

  it.each(['abc', '100', String(128 * 1024 * 1024)])('refuses %s, naming the variable', (v) =>
    expect(problems({ AUTH_MAX_RESPONSE_BYTES: v })).toMatch(/AUTH_MAX_RESPONSE_BYTES/),
  );
});

describe('OIDC_AUTHORIZE_PARAMS', () => {
  const oidc = { OIDC_ISSUER: 'https://op.example', OIDC_CLIENT_ID: 'cid' };

  it('accepts extra parameters as a query string', () => {
    expect(problems({ ...oidc, OIDC_AUTHORIZE_PARAMS: 'prompt=consent&audience=api' })).toBe('');
  });

  it.each([
    'state=x',
    'nonce=n',
    'code_challenge=c',
    'redirect_uri=https%3A%2F%2Fevil',
    'client_id=c',
    'response_type=token',
  ])('refuses %s, naming the variable and the parameter', (value) => {
    const name = value.split('=')[0];
    expect(problems({ ...oidc, OIDC_AUTHORIZE_PARAMS: value })).toContain(
      `OIDC_AUTHORIZE_PARAMS: the authorize parameter "${name}" is set by the library`,
    );
  });
});

describe('OIDC_ID_TOKEN_ALGS', () => {
  it.each(['RS256', 'ES256', 'PS256', 'EdDSA', 'RS256,ES256', 'ES256 PS256'])('accepts %s', (v) => {
    expect(problems({ OIDC_ID_TOKEN_ALGS: v })).toBe('');
  });

  it.each(['none', 'HS256', 'RS256,HS512', 'hs384'])('refuses %s as forgeable', (v) => {
    expect(problems({ OIDC_ID_TOKEN_ALGS: v })).toMatch(
      /OIDC_ID_TOKEN_ALGS: .* refused: an id_token must carry an asymmetric signature/,
    );
  });

  it('refuses an unknown name, listing the supported ones', () => {
    expect(problems({ OIDC_ID_TOKEN_ALGS: 'RS257' })).toMatch(
      /OIDC_ID_TOKEN_ALGS: "RS257" is not one of RS256, .*EdDSA/,
    );
  });
});

describe('AUTH_PROVIDER_LOGOUT and AUTH_POST_LOGOUT_REDIRECT_URI', () => {
  const providers = {
    OIDC_ISSUER: 'https://op.example',
    OIDC_CLIENT_ID: 'cid',
    TENCENT_CIAM_ISSUER: 'https://t.portal.tencentciam.com',
    TENCENT_CIAM_CLIENT_ID: 'tc',
    TENCENT_CIAM_CLIENT_SECRET: 'ts',
  };
  const options = (env: Record<string, string>) =>
    optionsFromEnvironment(validateAuthCodeEnvironment({ ...providers, ...env }), () => undefined);

  it('reads on, off (the default) and a list of enabled provider ids', () => {
    expect(options({}).providerLogout).toBe(false);
    expect(options({ AUTH_PROVIDER_LOGOUT: 'off' }).providerLogout).toBe(false);
    expect(options({ AUTH_PROVIDER_LOGOUT: 'on' }).providerLogout).toBe(true);
    expect(options({ AUTH_PROVIDER_LOGOUT: 'oidc, tencent-ciam' }).providerLogout).toEqual([
      'oidc',
      'tencent-ciam',
    ]);
    expect(
      options({ AUTH_POST_LOGOUT_REDIRECT_URI: 'https://app.example/bye' }).postLogoutRedirectUri,
    ).toBe('https://app.example/bye');
  });

  it.each([['oidc,'], ['Oidc'], ['a b']])('refuses AUTH_PROVIDER_LOGOUT=%s', (v) => {
    expect(problems({ ...providers, AUTH_PROVIDER_LOGOUT: v })).toContain(
      'AUTH_PROVIDER_LOGOUT must be on, off or a comma-separated list of provider ids',
    );
  });

  it.each([['yes'], ['true'], ['oidc,xt']])(
    'refuses AUTH_PROVIDER_LOGOUT=%s: not the ids of enabled providers',
    (v) => {
      expect(problems({ ...providers, AUTH_PROVIDER_LOGOUT: v })).toMatch(
        /AUTH_PROVIDER_LOGOUT names "(yes|true|xt)", not an enabled provider \(write on, off, or some of: tencent-ciam, oidc\)/,
      );
    },
  );

  it('refuses a return address that is not a URL', () => {
    expect(problems({ AUTH_POST_LOGOUT_REDIRECT_URI: '/bye' })).toMatch(
      /AUTH_POST_LOGOUT_REDIRECT_URI/,
    );
  });
});

describe('OIDC_PAR, OIDC_DPOP and OIDC_DPOP_ALG', () => {
  const oidc = { OIDC_ISSUER: 'https://op.example', OIDC_CLIENT_ID: 'cid' };

  it('accepts the documented values', () => {
    for (const OIDC_PAR of ['auto', 'on', 'off']) expect(problems({ ...oidc, OIDC_PAR })).toBe('');
    expect(problems({ ...oidc, OIDC_DPOP: 'true', OIDC_DPOP_ALG: 'EdDSA' })).toBe('');
    expect(problems({ ...oidc, OIDC_DPOP: 'false' })).toBe('');
  });

  it('refuses others, naming each variable', () => {
    const message = problems({ ...oidc, OIDC_PAR: 'yes', OIDC_DPOP: 'on', OIDC_DPOP_ALG: 'HS256' });
    expect(message).toContain('OIDC_PAR must be auto, on or off');
    expect(message).toContain('OIDC_DPOP must be true or false');
    expect(message).toContain(
      'OIDC_DPOP_ALG must be one of ES256, ES384, ES512, PS256, RS256, EdDSA',
    );
  });
});
