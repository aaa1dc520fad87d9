import type { ProviderDefinition } from '../core/provider-definition';
import type { FakeOAuth2 } from './fake-oauth2.fake';

/**
 * The definition of a started {@link FakeOAuth2}: plain RFC 6749 (form token calls, HTTP Basic
 * client authentication, PKCE S256), with revocation and userinfo. `overrides` replace top-level
 * fields (e.g. `{ id: 'beta' }` for a second provider).
 */
export function fakeOAuth2Definition(
  fake: FakeOAuth2,
  overrides: Partial<ProviderDefinition> = {},
): ProviderDefinition {
  const token = { url: `${fake.url}/token`, clientAuth: 'client_secret_basic' as const };
  return {
    id: 'fake-oauth2',
    displayName: 'Fake OAuth2',
    client: { clientId: fake.clientId, clientSecret: fake.clientSecret },
    redirectUri: 'http://127.0.0.1/auth/fake-oauth2/callback',
    authorize: { url: `${fake.url}/authorize`, scope: ['profile'] },
    token: { exchange: token, refresh: token },
    pkce: true,
    userinfo: { url: `${fake.url}/userinfo` },
    revoke: { url: `${fake.url}/revoke` },
    profile: ({ userinfo }) => ({
      id: String(userinfo?.sub ?? ''),
      displayName: userinfo?.name as string | undefined,
      email: userinfo?.email as string | undefined,
    }),
    ...overrides,
  };
}
