import { LogoutLookupKeys } from './logout-lookup-keys';

describe('LogoutLookupKeys', () => {
  const key = (kind: string, value: string) => `oidc\0${kind}\0${value}`;

  it('indexes a login under its sub and sid, or under "sub without sid" when it has no sid', () => {
    expect(LogoutLookupKeys.ofLogin('oidc', { sub: 'u', sid: 's' })).toEqual([
      key('sub', 'u'),
      key('sid', 's'),
    ]);
    expect(LogoutLookupKeys.ofLogin('oidc', { sub: 'u' })).toEqual([
      key('sub', 'u'),
      key('sub-without-sid', 'u'),
    ]);
    expect(LogoutLookupKeys.ofLogin('oidc', undefined)).toEqual([]);
    expect(LogoutLookupKeys.ofLogin('oidc', { sub: 7, sid: '' })).toEqual([]);
  });

  it("ends by sid (plus that user's sessions without sid) when the token names one, else by sub", () => {
    expect(LogoutLookupKeys.ofLogoutToken('oidc', { sid: 's', sub: 'u' })).toEqual([
      key('sid', 's'),
      key('sub-without-sid', 'u'),
    ]);
    expect(LogoutLookupKeys.ofLogoutToken('oidc', { sid: 's' })).toEqual([key('sid', 's')]);
    expect(LogoutLookupKeys.ofLogoutToken('oidc', { sub: 'u' })).toEqual([key('sub', 'u')]);
  });

  it('keeps providers apart', () => {
    expect(LogoutLookupKeys.ofLogin('a', { sub: 'u' })[0]).not.toBe(
      LogoutLookupKeys.ofLogin('b', { sub: 'u' })[0],
    );
  });
});
