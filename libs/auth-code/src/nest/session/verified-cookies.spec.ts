import { VerifiedCookies } from './verified-cookies';

describe('VerifiedCookies', () => {
  it('remembers verified values and forgets deleted ones', () => {
    const memo = new VerifiedCookies();
    memo.add('id.sig', 'id');
    expect(memo.get('id.sig')).toBe('id');
    memo.delete('id.sig');
    expect(memo.get('id.sig')).toBeUndefined();
  });

  it('never holds more than its bound, dropping the oldest first', () => {
    const memo = new VerifiedCookies(3);
    for (const n of [1, 2, 3, 4]) memo.add(`v${n}`, `id${n}`);
    expect(memo.size).toBe(3);
    expect(memo.get('v1')).toBeUndefined();
    expect(memo.get('v4')).toBe('id4');
  });
});
