import { clampExpiry, expiresAt, MAX_TOKEN_LIFETIME_MS } from './token-fields';

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
