import { Redis } from 'ioredis';
import {
  AuthCodeEngine,
  KeyRing,
  MemoryTokenLock,
  MemoryTokenStore,
  ProviderRegistry,
} from 'nestjs-auth-code';
import type { Browser } from '../support/browser';
import { SEED_FIXTURES, type ProviderFixture } from '../support/provider-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from './refresh-knobs';
import {
  askToken,
  closeAll,
  deleteUnder,
  KEY_1,
  loginOn,
  sameUserOn,
  SHARED_REDIS_URL,
  uniquePrefix,
  type TokenAnswer,
} from './token-apps';

const REQUESTS = 300;
/**
 * Lifetime of the tokens the login stores: inside the 60 s refresh skew, so the app treats them as
 * expired, yet alive at the fake (Tencent and XT read the profile with the token at login).
 */
const DUE_LIFETIME = 30;
/** Lifetime of the tokens the storm's refresh issues: well past the 60 s skew (+5 s jitter). */
const FRESH_LIFETIME = 600;
/** A skew larger than that lifetime: the "late" instance finds every token due (forced expiry). */
const LATE_SKEW = 3600;
/** Upstream latency during the storm, so that the refresh is in flight while requests pile up. */
const STORM_LATENCY_MS = 100;

describe.each(SEED_FIXTURES)(
  'refresh storm with %s (rotating refresh tokens)',
  (_id, makeFixture) => {
    let fx: ProviderFixture;
    let knobs: RefreshKnobs;

    beforeAll(async () => {
      fx = await makeFixture();
      knobs = refreshKnobs(fx);
      knobs.enableRotation();
    });
    afterAll(async () => {
      await fx?.fake.stop();
    });
    beforeEach(() => {
      fx.fake.reset();
      fx.fake.latencyMs = 0;
    });

    /** Fires {@link REQUESTS} concurrent token requests round-robin over `browsers` (one per instance). */
    function storm(browsers: Browser[]): Promise<TokenAnswer[]> {
      return Promise.all(
        Array.from({ length: REQUESTS }, (_, i) => askToken(browsers[i % browsers.length], fx.id)),
      );
    }

    /** Asserts the storm's outcome: all 200, one upstream refresh, one new expiry everywhere. */
    function expectOneRefresh(answers: TokenAnswer[], startedAt: number): number {
      expect(answers.filter((a) => a.status !== 200).map((a) => a.text)).toEqual([]);
      expect(knobs.refreshCalls()).toHaveLength(1);
      const expiries = [...new Set(answers.map((a) => a.body.expiresAt))];
      expect(expiries).toHaveLength(1);
      const expiresAt = expiries[0] as number;
      // the NEW token's expiry (~600 s), not the due one the login stored
      expect(expiresAt).toBeGreaterThan(startedAt + (FRESH_LIFETIME - 60) * 1000);
      expect(answers.some((a) => a.body.refreshed === true)).toBe(true);
      return expiresAt;
    }

    /**
     * Proves the rotated refresh token is the one stored: an instance that finds the token due
     * refreshes twice more, each time presenting a token never presented before, and the fake (which
     * revokes the grant when a spent token comes back) accepts both. Then replaying the storm's spent
     * token revokes the grant, so the next refresh fails: the reuse detection really is on.
     */
    async function expectRotatedTokenStored(late: TestApp, from: Browser): Promise<void> {
      const browser = sameUserOn(late, from);
      const presented = [knobs.presentedRefreshToken(knobs.refreshCalls()[0])];
      for (const round of [2, 3]) {
        const answer = await askToken(browser, fx.id);
        expect(answer).toMatchObject({ status: 200, body: { refreshed: true } });
        const calls = knobs.refreshCalls();
        expect(calls).toHaveLength(round);
        const token = knobs.presentedRefreshToken(calls[round - 1]);
        expect(token).not.toBe('');
        expect(presented).not.toContain(token);
        presented.push(token);
      }
      const definition = await late.app.get(ProviderRegistry).get(fx.id);
      const replay = await late.app
        .get(AuthCodeEngine)
        .refresh(definition, presented[0])
        .then(
          () => undefined,
          (err: { code?: string }) => err.code,
        );
      expect(['invalid_grant', 'token_dead']).toContain(replay);
      const after = await askToken(browser, fx.id);
      expect(after).toMatchObject({ status: 401, body: { error: 'login_required' } });
    }

    describe('3 instances sharing one Redis', () => {
      let prefix: string;
      let redis: Redis;
      let apps: TestApp[] = [];
      const options = (): Parameters<typeof startTestApp>[0] => ({
        providers: [fx.definition],
        store: SHARED_REDIS_URL,
        storeKeyPrefix: prefix,
      });

      beforeAll(async () => {
        prefix = uniquePrefix('storm');
        redis = new Redis(SHARED_REDIS_URL);
        apps = await Promise.all([1, 2, 3].map(() => startTestApp(options())));
      });
      afterAll(async () => {
        await closeAll(apps);
        await deleteUnder(redis, prefix);
        await redis.quit();
      });

      it('sends exactly one refresh for 300 concurrent requests spread over the instances, and all get its expiry', async () => {
        knobs.setAccessTokenLifetime(DUE_LIFETIME);
        const first = await loginOn(apps[0], fx);
        knobs.setAccessTokenLifetime(FRESH_LIFETIME);
        const startedAt = Date.now();
        fx.fake.latencyMs = STORM_LATENCY_MS;
        const answers = await storm(apps.map((app) => sameUserOn(app, first)));
        const expiresAt = expectOneRefresh(answers, startedAt);
        // every instance now serves the stored token without calling the provider
        for (const app of apps) {
          const again = await askToken(sameUserOn(app, first), fx.id);
          expect(again.body).toEqual({ provider: fx.id, expiresAt, refreshed: false });
        }
        expect(knobs.refreshCalls()).toHaveLength(1);

        const late = await startTestApp({ ...options(), refreshSkewSeconds: LATE_SKEW });
        try {
          await expectRotatedTokenStored(late, first);
        } finally {
          await late.close();
        }
      });
    });

    describe('one instance with the memory store', () => {
      let store: MemoryTokenStore;
      let apps: TestApp[] = [];

      beforeAll(() => {
        store = new MemoryTokenStore(new KeyRing([Buffer.from(KEY_1, 'base64')]), {
          sweepIntervalMs: 0,
        });
      });
      afterAll(async () => {
        await closeAll(apps);
      });

      it('sends exactly one refresh for 300 concurrent requests, and all get its expiry', async () => {
        const lock = new MemoryTokenLock();
        const app = await startTestApp({ providers: [fx.definition], store, lock });
        // the "late" instance shares the store object: a restart with a larger skew, in effect
        const late = await startTestApp({
          providers: [fx.definition],
          store,
          lock,
          refreshSkewSeconds: LATE_SKEW,
        });
        apps = [app, late];
        knobs.setAccessTokenLifetime(DUE_LIFETIME);
        const browser = await loginOn(app, fx);
        knobs.setAccessTokenLifetime(FRESH_LIFETIME);
        const startedAt = Date.now();
        fx.fake.latencyMs = STORM_LATENCY_MS;
        const answers = await storm([browser]);
        const expiresAt = expectOneRefresh(answers, startedAt);
        expect((await askToken(browser, fx.id)).body).toEqual({
          provider: fx.id,
          expiresAt,
          refreshed: false,
        });
        await expectRotatedTokenStored(late, browser);
      });
    });
  },
);
