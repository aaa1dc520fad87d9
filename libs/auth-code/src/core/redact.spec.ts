import fc from 'fast-check';
import { fuzzRuns } from '../../../../test/support/fuzz';
import { KnownSecrets } from './known-secrets';
import { isSecretKey, redactBody } from './redact';

// The pattern isSecretKey replaces.
const SECRET_KEYS =
  /^(code|password|authorization|cookie|nonce|.*token|.*secret|.*verifier|.*assertion|.*_key)$/i;

describe('isSecretKey', () => {
  it.each(['code', 'Access_Token', 'client_secret', 'code_verifier', 'x-api_key', 'Cookie'])(
    'knows %s',
    (key) => expect(isSecretKey(key)).toBe(true),
  );
  it.each(['codes', 'error', 'token_type', 'keys', 'expires_in'])('lets %s through', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );

  it('agrees with the pattern it replaces on printable ASCII names (property)', () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 30,
    });
    const suffix = fc.constantFrom(
      'token',
      'Secret',
      'verifier',
      'assertion',
      '_KEY',
      'code',
      'nonce',
      '',
    );
    const key = fc.oneof(
      ascii,
      fc.tuple(ascii, suffix).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(key, (k) => expect(isSecretKey(k)).toBe(SECRET_KEYS.test(k))),
      fuzzRuns(2000),
    );
  });
});

describe('redactBody', () => {
  it('redacts secret fields and JWT values of JSON, and known secrets anywhere', () => {
    const secrets = new KnownSecrets(['s3']);
    const body = JSON.stringify({
      error: 'bad',
      access_token: 'abc',
      note: 'secret s3 here',
      id: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVlcw',
    });
    expect(redactBody(body, secrets)).toBe(
      '{"error":"bad","access_token":"[redacted]","note":"secret [redacted] here","id":"[redacted]"}',
    );
  });

  it('redacts text by runs and known secrets, and keeps at most ~2 KB', () => {
    const out = redactBody(
      `echo s3cr3t ${'z'.repeat(40)} ${'word '.repeat(1000)}`,
      new KnownSecrets(['s3cr3t']),
    );
    expect(out.startsWith('echo [redacted] [redacted] word')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(2048 + '…[truncated]'.length);
  });

  it('reads only the first 64 KB of a huge body, and never echoes a known secret in it', () => {
    const secret = 'short-secret';
    const huge = `{"error":"x","error_description":"${secret}${' pad'.repeat(5_000_000)}"}`;
    const out = redactBody(huge, new KnownSecrets([secret]));
    expect(out).not.toContain(secret);
    expect(out.length).toBeLessThanOrEqual(2048 + '…[truncated]'.length);
  });
});
