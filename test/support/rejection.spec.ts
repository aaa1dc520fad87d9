import { rejectionOf } from './rejection';

class WantedError extends Error {
  readonly detail = 'wanted';
}

describe('rejectionOf()', () => {
  it('returns the error a promise rejects with when it is of the expected type', async () => {
    const error = new WantedError('no');
    await expect(rejectionOf(Promise.reject(error), WantedError)).resolves.toBe(error);
  });

  it('calls a function and returns the error its promise rejects with', async () => {
    const error = new WantedError('no');
    const call = () => Promise.reject(error);
    await expect(rejectionOf(call, WantedError)).resolves.toBe(error);
  });

  it('fails when the promise resolves', async () => {
    await expect(rejectionOf(Promise.resolve(1), WantedError)).rejects.toThrow(
      'expected a rejection with WantedError, but it resolved',
    );
  });

  it('fails, naming what it got, when the promise rejects with another error', async () => {
    const other = new TypeError('boom');
    const failure = await rejectionOf(Promise.reject(other), WantedError).catch((e: Error) => e);
    expect(failure.message).toBe('expected a rejection with WantedError, got TypeError: boom');
    expect(failure.cause).toBe(other);
  });
});
