import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../errors/auth-code.errors';
import { DecryptionError } from './cipher';
import { KeyRing } from './key-ring';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

/** Flips one bit of one character in the packed part of a ciphertext, keeping it base64url. */
function flip(ciphertext: string, at: number): string {
  const [format, id, packed] = ciphertext.split('.');
  const bytes = Buffer.from(packed, 'base64url');
  bytes[at] ^= 0x01;
  return `${format}.${id}.${bytes.toString('base64url')}`;
}

function decryptError(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (err) {
    return err as DecryptionError;
  }
  throw new Error('expected a DecryptionError');
}

describe('KeyRing', () => {
  it('round-trips unicode text and never shows the plaintext in the ciphertext', () => {
    const ring = new KeyRing([k1]);
    const text = 'access-token-ÅÄÖ-密钥-🔑';
    const sealed = ring.encrypt(text);
    expect(sealed).not.toContain('access-token');
    expect(sealed).toMatch(/^a1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+$/);
    expect(ring.decrypt(sealed)).toBe(text);
  });

  it('uses a fresh IV for every record', () => {
    const ring = new KeyRing([k1]);
    expect(ring.encrypt('same')).not.toBe(ring.encrypt('same'));
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the body', 30],
  ])('rejects a ciphertext with one flipped bit in %s', (_, at) => {
    const ring = new KeyRing([k1]);
    const sealed = ring.encrypt('a token that is long enough to reach byte thirty');
    const err = decryptError(() => ring.decrypt(flip(sealed, at)));
    expect(err).toBeInstanceOf(DecryptionError);
    expect(err.reason).toBe('tampered');
  });

  it('rejects malformed and truncated ciphertexts with a typed error', () => {
    const ring = new KeyRing([k1]);
    expect(decryptError(() => ring.decrypt('plain text')).reason).toBe('malformed');
    const [f, id] = ring.encrypt('x').split('.');
    expect(decryptError(() => ring.decrypt(`${f}.${id}.AAAA`)).reason).toBe('malformed');
  });

  it('decrypts records of an older key after rotation and encrypts with the new one', () => {
    const old = new KeyRing([k1]);
    const sealed = old.encrypt('kept');
    const rotated = new KeyRing([k2, k1]);
    expect(rotated.decrypt(sealed)).toBe('kept');
    expect(rotated.encrypt('new').split('.')[1]).toBe(rotated.keyIds[0]);
    expect(rotated.keyIds[1]).toBe(old.keyIds[0]);
  });

  it('refuses a record whose key has been removed from the ring', () => {
    const sealed = new KeyRing([k1]).encrypt('gone');
    expect(decryptError(() => new KeyRing([k2]).decrypt(sealed)).reason).toBe('unknown_key');
  });

  it('does not decrypt a record relabelled with another key id (AAD binds the key)', () => {
    const ring = new KeyRing([k1, k2]);
    const [f, , packed] = ring.encrypt('bound').split('.');
    const err = decryptError(() => ring.decrypt(`${f}.${ring.keyIds[1]}.${packed}`));
    expect(err.reason).toBe('tampered');
  });
});

describe('KeyRing.fromEnvironment', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  beforeEach(() => (warnings.length = 0));

  it.each([
    ['base64url', k1.toString('base64url')],
    ['base64', k1.toString('base64')],
    ['hex', k1.toString('hex')],
    ['base64 with spaces around', `  ${k1.toString('base64')} `],
  ])('accepts a 32-byte key as %s', (_, value) => {
    const ring = KeyRing.fromEnvironment(value, 'production', warn);
    expect(ring.keyIds).toEqual(new KeyRing([k1]).keyIds);
    expect(warnings).toEqual([]);
  });

  it('reads a comma-separated list, the first key encrypting', () => {
    const value = `${k2.toString('base64url')},${k1.toString('hex')}`;
    const ring = KeyRing.fromEnvironment(value, 'production', warn);
    expect(ring.keyIds).toEqual(new KeyRing([k2, k1]).keyIds);
    expect(ring.decrypt(new KeyRing([k1]).encrypt('from old'))).toBe('from old');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), 'entry 1'],
    ['too long', randomBytes(48).toString('hex'), 'entry 1'],
    ['a passphrase', 'correct horse battery staple', 'entry 1'],
    ['an empty entry', `${k1.toString('hex')},`, 'entry 2'],
    ['a duplicate', `${k1.toString('hex')},${k1.toString('base64')}`, 'listed twice'],
  ])('refuses %s with a message naming the variable', (_, value, hint) => {
    let err: unknown;
    try {
      KeyRing.fromEnvironment(value, 'development', warn);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toContain('AUTH_ENCRYPTION_KEYS');
    expect((err as Error).message).toContain(hint);
    expect((err as Error).message).not.toContain(value.split(',')[0].slice(0, 10));
  });

  it('refuses to start in production without keys', () => {
    expect(() => KeyRing.fromEnvironment(undefined, 'production', warn)).toThrow(
      ConfigurationError,
    );
    expect(() => KeyRing.fromEnvironment('  ', 'production', warn)).toThrow(/AUTH_ENCRYPTION_KEYS/);
  });

  it('uses a random key with a warning outside production', () => {
    const a = KeyRing.fromEnvironment(undefined, 'development', warn);
    const b = KeyRing.fromEnvironment('', undefined, warn);
    expect(a.decrypt(a.encrypt('x'))).toBe('x');
    expect(a.keyIds).not.toEqual(b.keyIds);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('AUTH_ENCRYPTION_KEYS');
  });
});
