import { StateError } from '../../errors/auth-code.errors';
import { isCallbackRequest, readCallbackParams } from './callback-params';

const fails = (query: Record<string, unknown>) => {
  try {
    readCallbackParams(query);
  } catch (e) {
    return e as StateError;
  }
  throw new Error('expected a StateError');
};

describe('readCallbackParams', () => {
  it('reads state, code and iss', () => {
    expect(readCallbackParams({ state: 's1', code: 'c1', iss: 'https://op' })).toEqual({
      state: 's1',
      code: 'c1',
      error: undefined,
      errorDescription: undefined,
      iss: 'https://op',
    });
  });

  it('reads a provider error without requiring a code', () => {
    const p = readCallbackParams({
      state: 's',
      error: 'access_denied',
      error_description: 'User said no',
    });
    expect(p).toMatchObject({
      error: 'access_denied',
      errorDescription: 'User said no',
      code: undefined,
    });
  });

  it.each([
    [{ code: 'c' }, 'invalid_state', /no state/],
    [{ state: 's' }, 'invalid_callback', /"code" is missing/],
    [{ state: 's', code: '' }, 'invalid_callback', /"code" is empty/],
    [{ state: 's', code: ['a', 'b'] }, 'invalid_callback', /exactly once/],
    [{ state: ['a', 'b'], code: 'c' }, 'invalid_state', /exactly once/],
    [{ state: 's', code: 'x'.repeat(10 * 1024) }, 'invalid_callback', /longer than 2048/],
    [{ state: 's', code: 'cöde' }, 'invalid_callback', /printable ASCII/],
    [{ state: 's', code: { a: 1 } }, 'invalid_callback', /exactly once/],
  ])('refuses %j with %s', (query, code, message) => {
    const err = fails(query);
    expect(err).toBeInstanceOf(StateError);
    expect(err.code).toBe(code);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });

  it('keeps a provider error description printable and short', () => {
    const p = readCallbackParams({
      state: 's',
      error: 'x',
      error_description: `ü${'d'.repeat(500)}`,
    });
    expect(p.errorDescription).toHaveLength(300);
    expect(p.errorDescription!.startsWith('?')).toBe(true);
  });
});

describe('isCallbackRequest', () => {
  it('tells the callback leg from the login leg', () => {
    expect(isCallbackRequest({ code: 'c', state: 's' })).toBe(true);
    expect(isCallbackRequest({ error: 'access_denied' })).toBe(true);
    expect(isCallbackRequest({ returnTo: '/x' })).toBe(false);
    expect(isCallbackRequest(undefined)).toBe(false);
  });
});
