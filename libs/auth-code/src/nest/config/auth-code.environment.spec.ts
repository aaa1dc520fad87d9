import { ConfigurationError } from '../../errors/auth-code.errors';
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
