import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/', '/welcome', '/path?q=1&x=%2F', '/a/b#frag', '/%E2%9C%93'])(
    'keeps the same-origin path %s',
    (p) => {
      expect(safeReturnTo(p)).toBe(p);
    },
  );

  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '%2F%2Fevil.example',
    '/%2F/evil.example',
    '/%5Cevil.example',
    'javascript:alert(1)',
    '\t//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'evil',
    '',
    '/' + 'a'.repeat(3000),
  ])('turns %j into /', (p) => {
    expect(safeReturnTo(p)).toBe('/');
  });

  it('falls back for non-strings (arrays from repeated query parameters)', () => {
    expect(safeReturnTo(['/a', '/b'])).toBe('/');
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo({ x: 1 })).toBe('/');
  });

  it('falls back for malformed percent-encoding', () => {
    expect(safeReturnTo('/%E0%A4%A')).toBe('/');
  });
});
