import { ConfigurationError } from '../../errors/auth-code.errors';
import { resolveOptions } from '../auth-code.options';
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
