import { isObject, nonEmptyString, parseObject } from './json';

describe('parseObject', () => {
  it('returns the object a JSON object text encodes', () => {
    expect(parseObject('{"a":1}')).toEqual({ a: 1 });
  });

  it.each(['', 'not json', '{"a":', '[1,2]', 'null', '42', '"text"'])(
    'returns undefined for %p, which is not a JSON object',
    (text) => {
      expect(parseObject(text)).toBeUndefined();
    },
  );
});

describe('isObject', () => {
  it('accepts plain objects and refuses null, arrays and primitives', () => {
    expect(isObject({})).toBe(true);
    expect([null, undefined, [], 'x', 1, true].map(isObject)).toEqual(Array(6).fill(false));
  });
});

describe('nonEmptyString', () => {
  it('accepts a string with characters and refuses the empty string and non-strings', () => {
    expect(nonEmptyString('a')).toBe(true);
    expect(['', undefined, null, 0, {}].map(nonEmptyString)).toEqual(Array(5).fill(false));
  });
});
