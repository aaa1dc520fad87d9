import { FreshnessMemo } from './freshness.memo';

describe('FreshnessMemo', () => {
  it('remembers an expiry per session and provider, and forgets what it is told to', () => {
    const memo = new FreshnessMemo();
    memo.set('s1', 'xt', 1000);
    memo.set('s1', 'isolarcloud', 2000);
    memo.set('s2', 'xt', 3000);
    expect([memo.get('s1', 'xt'), memo.get('s1', 'isolarcloud'), memo.get('s2', 'xt')]).toEqual([
      1000, 2000, 3000,
    ]);
    memo.forget('s1', ['xt', 'isolarcloud']);
    expect([memo.get('s1', 'xt'), memo.get('s1', 'isolarcloud'), memo.get('s2', 'xt')]).toEqual([
      undefined,
      undefined,
      3000,
    ]);
  });

  it('keeps at most maxEntries, dropping the least recently written', () => {
    const memo = new FreshnessMemo(2);
    memo.set('a', 'p', 1);
    memo.set('b', 'p', 2);
    memo.set('a', 'p', 3); // rewritten: now the newest
    memo.set('c', 'p', 4);
    expect(memo.size).toBe(2);
    expect([memo.get('a', 'p'), memo.get('b', 'p'), memo.get('c', 'p')]).toEqual([3, undefined, 4]);
  });
});
