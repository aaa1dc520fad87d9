import { KnownSecrets } from './known-secrets';

describe('KnownSecrets', () => {
  it('removes each value, whatever its length, in raw, JSON, percent and form spellings', () => {
    const secrets = new KnownSecrets(['demo-xt-secret', 'a b/"c"', undefined, '']);
    expect(secrets.redact('mc=demo-xt-secret')).toBe('mc=[redacted]');
    expect(secrets.redact('{"x":"a b/\\"c\\""}')).toBe('{"x":"[redacted]"}');
    expect(secrets.redact('x=a%20b%2F%22c%22&y=a+b%2F%22c%22')).toBe('x=[redacted]&y=[redacted]');
    expect(secrets.redact('nothing here')).toBe('nothing here');
  });

  it('removes a value that contains another one whole', () => {
    const secrets = new KnownSecrets(['abc', 'xxabcxx']);
    expect(secrets.redact('1 xxabcxx 2 abc')).toBe('1 [redacted] 2 [redacted]');
  });

  it('knows when it knows nothing, and when a text holds a value', () => {
    expect(KnownSecrets.none.isEmpty).toBe(true);
    expect(new KnownSecrets([undefined, '']).isEmpty).toBe(true);
    expect(new KnownSecrets(['s']).occursIn('has s')).toBe(true);
    expect(new KnownSecrets(['s%']).occursIn('s%25')).toBe(true);
  });
});
