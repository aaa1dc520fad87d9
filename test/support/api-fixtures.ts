import type {
  FakeIsolarcloud,
  FakeServer,
  FakeTencentCiam,
  FakeXt,
} from 'nestjs-auth-code/testing';
import type { Browser } from './browser';
import {
  isolarcloudFixture,
  tencentFixture,
  xtFixture,
  type ProviderFixture,
} from './provider-fixtures';

/** How a seed provider's fake is driven around API calls (what differs per provider). */
export interface ApiKnobs<F extends FakeServer = FakeServer> {
  /** Provider id. */
  id: string;
  /** The fake's route the `profile` API call reaches. */
  apiRoute: string;
  /** How many refresh calls the fake received. */
  refreshCount(fake: F): number;
  /** The next `times` API calls answer the provider's own "token dead" answer. */
  killApiCalls(fake: F, times: number): void;
  /** The next `times` API calls answer the provider's own "too many requests". */
  rateLimitApiCalls(fake: F, times: number): void;
  /** Logins from now on get an access token that is already due (inside the 60 s skew). */
  issueShortLivedTokens(fake: F): void;
  /** Logins and refreshes from now on get long-lived access tokens again. */
  issueLongLivedTokens(fake: F): void;
  /** Makes every access token issued so far unusable at the API (where the fake can). */
  killIssuedTokens(fake: F): void;
}

const isolarcloud: ApiKnobs<FakeIsolarcloud> = {
  id: 'isolarcloud',
  apiRoute: 'plants',
  refreshCount: (f) => f.count('refresh'),
  killApiCalls: (f, n) => {
    for (let i = 0; i < n; i++) f.forceError('plants', 'E00003');
  },
  rateLimitApiCalls: (f, n) => {
    for (let i = 0; i < n; i++) f.forceError('plants', 'E999');
  },
  issueShortLivedTokens: (f) => {
    f.tokenLifetimeSeconds = 30;
  },
  issueLongLivedTokens: (f) => {
    f.tokenLifetimeSeconds = 172_799;
  },
  killIssuedTokens: (f) => f.expireAccessTokens(),
};

const invalidToken = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' },
};

const tencent: ApiKnobs<FakeTencentCiam> = {
  id: 'tencent-ciam',
  apiRoute: 'userinfo',
  refreshCount: (f) =>
    f.requestsTo('token').filter((r) => r.body?.grant_type === 'refresh_token').length,
  killApiCalls: (f, n) => {
    for (let i = 0; i < n; i++) f.forceError('userinfo', invalidToken);
  },
  rateLimitApiCalls: (f, n) => {
    for (let i = 0; i < n; i++)
      f.forceError('userinfo', { status: 429, body: { error: 'slow_down' } });
  },
  issueShortLivedTokens: (f) => {
    f.accessTokenTtlSeconds = 30;
  },
  issueLongLivedTokens: (f) => {
    f.accessTokenTtlSeconds = 299;
  },
  killIssuedTokens: () => undefined,
};

const xt: ApiKnobs<FakeXt> = {
  id: 'xt',
  apiRoute: 'userinfo',
  refreshCount: (f) => f.grantCount('refresh_token'),
  killApiCalls: (f, n) => f.forceError('userinfo', 'TOKEN_INVALID', { status: 401, times: n }),
  rateLimitApiCalls: (f, n) => f.rateLimit('userinfo', n),
  issueShortLivedTokens: (f) => {
    f.tokenLifetimeSeconds = 30;
  },
  issueLongLivedTokens: (f) => {
    f.tokenLifetimeSeconds = 86_400;
  },
  killIssuedTokens: () => undefined,
};

/** A seed provider's fixture with its API knobs. */
export type ApiFixture = ProviderFixture & { knobs: ApiKnobs };

/** Every seed provider with its API knobs, for `describe.each`. */
export const API_FIXTURES = [
  [
    'isolarcloud',
    async () => ({ ...(await isolarcloudFixture()), knobs: isolarcloud as ApiKnobs }),
  ],
  ['tencent-ciam', async () => ({ ...(await tencentFixture()), knobs: tencent as ApiKnobs })],
  ['xt', async () => ({ ...(await xtFixture()), knobs: xt as ApiKnobs })],
] as const satisfies ReadonlyArray<readonly [string, () => Promise<ApiFixture>]>;

/** Name of the session cookie over http. */
export const SESSION_COOKIE = 'auth_session';

/** The session id inside a browser's signed session cookie (`<id>.<signature>`). */
export function sessionIdOf(browser: Browser): string {
  const signed = browser.cookies.get(SESSION_COOKIE);
  if (!signed) throw new Error('the browser has no session cookie');
  return signed.slice(0, signed.lastIndexOf('.'));
}
