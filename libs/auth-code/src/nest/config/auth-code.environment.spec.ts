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
