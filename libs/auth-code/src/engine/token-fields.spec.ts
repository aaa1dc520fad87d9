import { clampExpiry, expiresAt, MAX_TOKEN_LIFETIME_MS, refreshExpiresAt } from './token-fields';

const NOW = 1_700_000_000_000;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (exp: unknown) => `${b64({ alg: 'none' })}.${b64({ exp })}.`;

describe('token expiry', () => {
  it.each([
    [1e20, NOW + MAX_TOKEN_LIFETIME_MS],
    [1e308, NOW + MAX_TOKEN_LIFETIME_MS],
    [-1e308, NOW - MAX_TOKEN_LIFETIME_MS],
    ['1e308', NOW + MAX_TOKEN_LIFETIME_MS],
    [-30, NOW - 30_000],
    [3600, NOW + 3_600_000],
    ['NaN', NOW + 3_600_000],
    ['1e400', NOW + 3_600_000],
    [`${'9'.repeat(40)}`, NOW + 3_600_000],
    [null, NOW + 3_600_000],
  ])('expires_in %p → %p', (raw, expected) => {
    expect(expiresAt({}, 'at', raw, NOW)).toBe(expected);
  });

  it('clamps a JWT exp of 1e20, and falls back to expires_in when exp is not a finite number', () => {
    expect(expiresAt({ expiresIn: 'jwt' }, jwt(1e20), 60, NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
    expect(expiresAt({ expiresIn: 'jwt' }, jwt('soon'), 60, NOW)).toBe(NOW + 60_000);
    expect(expiresAt({ expiresIn: 'ms' }, 'at', 1e308, NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
  });

  it('never answers NaN or an infinity', () => {
    for (const at of [NaN, Infinity, -Infinity])
      expect(Number.isFinite(clampExpiry(at, NOW))).toBe(true);
  });
});

describe('refresh token expiry', () => {
  it('takes refresh_expires_in (XT.COM) before the JWT exp, clamped', () => {
    expect(refreshExpiresAt({}, jwt(NOW / 1000 + 99), 600, NOW)).toBe(NOW + 600_000);
    expect(refreshExpiresAt({}, 'rt', '1e20', NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
    expect(refreshExpiresAt({ expiresIn: 'ms' }, 'rt', 5000, NOW)).toBe(NOW + 5000);
  });

  it("falls back to the refresh token's own JWT exp, else unknown", () => {
    expect(refreshExpiresAt({}, jwt(NOW / 1000 + 99), undefined, NOW)).toBe(NOW + 99_000);
    expect(refreshExpiresAt({}, jwt('never'), undefined, NOW)).toBeUndefined();
    expect(refreshExpiresAt({}, 'opaque', null, NOW)).toBeUndefined();
  });
});
