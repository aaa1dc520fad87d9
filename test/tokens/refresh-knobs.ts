import {
  FakeIsolarcloud,
  FakeTencentCiam,
  FakeXt,
  type RecordedRequest,
} from 'nestjs-auth-code/testing';
import type { ProviderFixture } from '../support/provider-fixtures';

/** The refresh-related knobs of one seed fake, under one name for `describe.each`. */
export interface RefreshKnobs {
  /** `expires_in` (and JWT `exp`) of access tokens issued from now on; 0 or less = already expired. */
  setAccessTokenLifetime(seconds: number): void;
  /** Issue a new refresh token on every refresh; presenting a spent one revokes the grant. */
  enableRotation(): void;
  /** The refresh calls the fake received (faulted ones included), oldest first. */
  refreshCalls(): RecordedRequest[];
  /** The refresh token a recorded refresh call presented. */
  presentedRefreshToken(call: RecordedRequest): string;
  /** The next refresh is refused the way this provider says `invalid_grant`. */
  forceInvalidGrant(): void;
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The knobs of the fixture's fake. */
export function refreshKnobs(fx: ProviderFixture): RefreshKnobs {
  const fake = fx.fake;
  if (fake instanceof FakeIsolarcloud) {
    return {
      setAccessTokenLifetime: (s) => void (fake.tokenLifetimeSeconds = s),
      enableRotation: () => void (fake.rotateRefreshTokens = true),
      refreshCalls: () => fake.requestsTo('refresh'),
      presentedRefreshToken: (c) => asString(c.body?.refresh_token),
      // result_code 2 is what iSolarCloud answers for a dead refresh token
      forceInvalidGrant: () => fake.forceError('refresh', '2'),
    };
  }
  if (fake instanceof FakeTencentCiam) {
    return {
      setAccessTokenLifetime: (s) => void (fake.accessTokenTtlSeconds = s),
      enableRotation: () => void (fake.rotateRefreshTokens = true),
      refreshCalls: () =>
        fake.requestsTo('token').filter((r) => r.body?.grant_type === 'refresh_token'),
      presentedRefreshToken: (c) => asString(c.body?.refresh_token),
      forceInvalidGrant: () =>
        fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } }),
    };
  }
  if (fake instanceof FakeXt) {
    return {
      setAccessTokenLifetime: (s) => void (fake.tokenLifetimeSeconds = s),
      enableRotation: () => void (fake.rotateRefreshTokens = true),
      refreshCalls: () =>
        fake.requestsTo('token').filter((r) => r.query.grant_type === 'refresh_token'),
      presentedRefreshToken: (c) => asString(c.query.refresh_token),
      forceInvalidGrant: () =>
        fake.forceError('refresh', 'REFRESH_TOKEN_INVALID', { ma: ['refresh_token'] }),
    };
  }
  throw new Error(`no refresh knobs for ${fx.id}`);
}
