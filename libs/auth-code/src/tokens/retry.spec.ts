import {
  ProviderRejectedError,
  TransportError,
  UnexpectedResponseError,
} from '../errors/auth-code.errors';
import { backoffDelay, isRetryableRefreshError, withRetry } from './retry';

const policy = { retries: 2, baseDelayMs: 1, maxDelayMs: 4 };
const transport = () => new TransportError({ code: 'network_error', message: 'down' });

describe('withRetry', () => {
  it('retries retryable failures up to the policy and then throws the last error', async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw transport();
      },
      { policy, retryable: () => true },
    );
    await expect(run).rejects.toBeInstanceOf(TransportError);
    expect(calls).toBe(3);
  });

  it('does not retry a failure that is not retryable', async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new Error('final');
      },
      { policy, retryable: () => false },
    );
    await expect(run).rejects.toThrow('final');
    expect(calls).toBe(1);
  });

  it('ends with the value beforeRetry returns, without another attempt', async () => {
    let calls = 0;
    const result = await withRetry<string>(
      async () => {
        calls++;
        throw transport();
      },
      { policy, retryable: () => true, beforeRetry: async () => 'from-store' },
    );
    expect(result).toBe('from-store');
    expect(calls).toBe(1);
  });

  describe('equal jitter', () => {
    const jittered = { retries: 3, baseDelayMs: 100, maxDelayMs: 300 };

    /** The delays slept before each retry of an attempt that always fails. */
    async function delaysWith(random: () => number): Promise<number[]> {
      const slept: number[] = [];
      const run = withRetry(
        async () => {
          throw transport();
        },
        {
          policy: jittered,
          retryable: () => true,
          random,
          sleep: async (ms) => void slept.push(ms),
        },
      );
      await expect(run).rejects.toBeInstanceOf(TransportError);
      return slept;
    }

    it('waits half the backoff plus a random share of the other half', async () => {
      expect(await delaysWith(() => 0)).toEqual([50, 100, 150]);
      expect(await delaysWith(() => 0.5)).toEqual([75, 150, 225]);
      const nearOne = await delaysWith(() => 0.999);
      nearOne.forEach((d, i) => expect(d).toBeCloseTo([100, 200, 300][i], 0));
    });

    it('draws one random number per retry, so instances that failed together spread out', async () => {
      let draws = 0;
      const values = [0.1, 0.9, 0.4];
      const delays = await delaysWith(() => values[draws++]);
      expect(draws).toBe(3);
      expect(delays).toEqual([55, 190, 210]);
      expect(await delaysWith(Math.random)).not.toEqual(await delaysWith(() => 1 - 1e-9));
    });
  });

  it('doubles the delay up to the maximum', () => {
    expect(
      [0, 1, 2, 3].map((i) => backoffDelay({ retries: 4, baseDelayMs: 100, maxDelayMs: 300 }, i)),
    ).toEqual([100, 200, 300, 300]);
  });
});

describe('isRetryableRefreshError', () => {
  const rejected = (upstreamStatus: number) =>
    new ProviderRejectedError({ code: 'provider_error', message: 'x', upstreamStatus });

  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(isRetryableRefreshError(rejected(status))).toBe(true);
  });

  it.each([400, 401, 403, 404])('does not retry HTTP %i', (status) => {
    expect(isRetryableRefreshError(rejected(status))).toBe(false);
  });

  it('retries network errors and timeouts, not unreadable 200 answers or foreign errors', () => {
    expect(isRetryableRefreshError(transport())).toBe(true);
    const garbage = new UnexpectedResponseError({
      code: 'invalid_response',
      message: 'x',
      upstreamStatus: 200,
    });
    expect(isRetryableRefreshError(garbage)).toBe(false);
    expect(isRetryableRefreshError(new Error('x'))).toBe(false);
  });
});
