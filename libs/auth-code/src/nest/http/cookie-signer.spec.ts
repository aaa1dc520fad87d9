import { CookieSigner } from './cookie-signer';
import { readCookie, serializeCookie } from './cookies';

describe('CookieSigner', () => {
  const signer = new CookieSigner(['new-secret', 'old-secret']);

  it('round-trips a value', () => {
    expect(signer.unsign(signer.sign('abc'))).toBe('abc');
  });

  it('refuses a tampered value or signature', () => {
    const signed = signer.sign('abc');
    expect(signer.unsign(`abd${signed.slice(3)}`)).toBeUndefined();
    expect(
      signer.unsign(`${signed.slice(0, -1)}${signed.endsWith('A') ? 'B' : 'A'}`),
    ).toBeUndefined();
    expect(signer.unsign('abc')).toBeUndefined();
    expect(signer.unsign(undefined)).toBeUndefined();
  });

  it('verifies values signed with an older secret, so secrets can rotate', () => {
    const old = new CookieSigner('old-secret').sign('v');
    expect(signer.unsign(old)).toBe('v');
    expect(new CookieSigner('other').unsign(old)).toBeUndefined();
  });

  it('derives different digests for different values', () => {
    expect(signer.digest('a')).not.toBe(signer.digest('b'));
    expect(signer.digest('a')).toHaveLength(16);
  });
});

describe('cookies', () => {
  it('reads exactly the named cookie', () => {
    const header = 'xauth_session=nope; auth_session=yes; auth_session_x=no';
    expect(readCookie(header, 'auth_session')).toBe('yes');
    expect(readCookie('auth_session=first', 'auth_session')).toBe('first');
    expect(readCookie('a=1', 'auth_session')).toBeUndefined();
    expect(readCookie(undefined, 'auth_session')).toBeUndefined();
  });

  it('serializes HttpOnly, SameSite=Lax, Secure and deletion', () => {
    expect(serializeCookie('n', 'v', { maxAge: 60, secure: true })).toBe(
      'n=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('n', '', { maxAge: 0 })).toContain(
      'Max-Age=0; Expires=Thu, 01 Jan 1970',
    );
  });
});

describe('CookieSigner digests', () => {
  it('derives one digest per secret, the signing one first, so names survive a rotation', () => {
    const before = new CookieSigner('old-secret');
    const after = new CookieSigner(['new-secret', 'old-secret']);
    expect(after.digests('state')).toEqual([
      new CookieSigner('new-secret').digest('state'),
      before.digest('state'),
    ]);
    expect(after.digests('state')[0]).toBe(after.digest('state'));
  });
});
