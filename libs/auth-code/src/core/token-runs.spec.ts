import fc from 'fast-check';
import { fuzzRuns } from '../../../../test/support/fuzz';
import { redactTokenRuns } from './token-runs';

// The patterns the scanner replaces; quadratic, so only ever run here on short strings.
const JWT_RUN = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const OPAQUE_RUN = /[A-Za-z0-9_\-+/=]{32,}/g;

const all = (text: string, limit = 100_000) => redactTokenRuns(text, { opaque: 'all', limit });
const withDigit = (text: string) => redactTokenRuns(text, { opaque: 'with-digit', limit: 100_000 });

describe('redactTokenRuns', () => {
  it.each([
    [
      'a JWT',
      'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end',
      'token [redacted] end',
    ],
    ['a chain of four long segments', 'aaaaaaaa.bbbbbbbb.cccccccc.dddddddd', '[redacted]'],
    ['a JWT after a short segment', 'abc.aaaaaaaa.bbbbbbbb.cccccccc', 'abc.[redacted]'],
    ['two segments only', 'aaaaaaaa.bbbbbbbb', 'aaaaaaaa.bbbbbbbb'],
    ['a short third segment', 'aaaaaaaa.bbbbbbbb.ccc', 'aaaaaaaa.bbbbbbbb.ccc'],
  ])('JWTs: %s', (_name, text, expected) => expect(withDigit(text)).toBe(expected));

  it('redacts opaque runs by policy: every one, or those with a digit not starting with /', () => {
    const letters = 'a'.repeat(40);
    const token = `${'b'.repeat(39)}1`;
    const path = `/openapi/platform/queryPowerStationList1`;
    expect(all(`${letters} ${token} ${path}`)).toBe('[redacted] [redacted] [redacted]');
    expect(withDigit(`${letters} ${token} ${path}`)).toBe(`${letters} [redacted] ${path}`);
  });

  it('cuts to the limit first, and redacts a run the cut ends', () => {
    expect(all(`hello ${'x'.repeat(10)}`, 14)).toBe('hello [redacted]…[truncated]');
    expect(all(`hello ${'x'.repeat(10)}`, 10)).toBe('hello xxxx…[truncated]');
    expect(all('hello world', 8)).toBe('hello wo…[truncated]');
  });

  it('scans 16 MB of letters, with and without dots, without a stack overflow', () => {
    const run = 'a'.repeat(16 * 1024 * 1024);
    expect(all(run, run.length)).toBe('[redacted]');
    expect(withDigit(run)).toBe('[redacted]…[truncated]');
    const dotted = 'aaaaaaaa.'.repeat(1_000_000);
    expect(redactTokenRuns(dotted, { opaque: 'all', limit: dotted.length })).toBe('[redacted].');
  });

  it('leaves no JWT-run or qualifying opaque run behind, and changes nothing else (property)', () => {
    const alphabet = fc.constantFrom(...'aZ09_-.+/= x');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 200 }), (text) => {
        const out = all(text);
        expect(JWT_RUN.test(out)).toBe(false);
        expect(out.replace(/\[redacted\]/g, ' ').match(OPAQUE_RUN)).toBeNull();
        if (!JWT_RUN.test(text) && !OPAQUE_RUN.test(text)) expect(out).toBe(text);
        OPAQUE_RUN.lastIndex = 0;
      }),
      fuzzRuns(2000),
    );
  });
});
