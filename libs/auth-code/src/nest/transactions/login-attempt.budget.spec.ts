import { LoginLimitError } from '../../errors/auth-code.errors';
import { attemptClientKey, LoginAttemptBudget } from './login-attempt.budget';

describe('LoginAttemptBudget', () => {
  let t = 0;
  const now = () => t;
  beforeEach(() => (t = 1_000_000));

  it('refuses a client beyond its budget with 429 rate_limited, others go on', () => {
    const budget = new LoginAttemptBudget({ perClient: 2, total: 10 }, 600_000, now);
    budget.reserve('a', 'c1');
    budget.reserve('b', 'c1');
    const err = (() => {
      try {
        budget.reserve('c', 'c1');
      } catch (e) {
        return e as LoginLimitError;
      }
    })();
    expect(err).toBeInstanceOf(LoginLimitError);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(() => budget.reserve('d', 'c2')).not.toThrow();
    expect(budget.count('c1')).toBe(2);
  });

  it('refuses everyone beyond the total with 503 temporarily_unavailable', () => {
    const budget = new LoginAttemptBudget({ perClient: 5, total: 3 }, 600_000, now);
    ['a', 'b', 'c'].forEach((s, i) => budget.reserve(s, `c${i}`));
    expect(() => budget.reserve('d', 'c9')).toThrow(
      expect.objectContaining({ code: 'temporarily_unavailable', status: 503 }),
    );
  });

  it('gives a slot back when an attempt is released, by state or by its tag, once', () => {
    const budget = new LoginAttemptBudget({ perClient: 1, total: 10 }, 600_000, now);
    budget.reserve('a', 'c1', 'cookie-a');
    expect(budget.releaseTagged('cookie-a')).toBe('a');
    expect(budget.releaseTagged('cookie-a')).toBeUndefined();
    budget.reserve('b', 'c1');
    budget.release('b');
    budget.release('b');
    budget.release('never-reserved');
    expect(budget.count()).toBe(0);
    expect(() => budget.reserve('c', 'c1')).not.toThrow();
  });

  it('forgets attempts whose lifetime has ended', () => {
    const budget = new LoginAttemptBudget({ perClient: 1, total: 1 }, 1000, now);
    budget.reserve('a', 'c1');
    t += 999;
    expect(() => budget.reserve('b', 'c2')).toThrow(LoginLimitError);
    t += 1;
    expect(() => budget.reserve('b', 'c1')).not.toThrow();
    expect(budget.count()).toBe(1);
  });

  it('uses the defaults for limits left undefined', () => {
    const budget = new LoginAttemptBudget({ perClient: undefined, total: undefined }, 1000, now);
    for (let i = 0; i < 100; i++) budget.reserve(`s${i}`, 'c1');
    expect(() => budget.reserve('one-more', 'c1')).toThrow(LoginLimitError);
  });
});

describe('attemptClientKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0:0:0:1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(attemptClientKey(address)).toBe(key);
  });
});
