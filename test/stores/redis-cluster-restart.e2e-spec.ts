import { createHash } from 'node:crypto';
import { isolarcloudFixture, type ProviderFixture } from '../support/provider-fixtures';
import { RedisCluster } from '../support/redis-cluster';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import { refreshKnobs, type RefreshKnobs } from '../tokens/refresh-knobs';
import {
  askToken,
  closeAll,
  loginOn,
  sameUserOn,
  sessionIdOf,
  type TokenAnswer,
} from '../tokens/token-apps';

/** Inside the 60 s skew: the stored token is due. */
const DUE_LIFETIME = 30;
const FRESH_LIFETIME = 600;
/** The refresh stays in flight upstream this long: the node restart happens meanwhile. */
const UPSTREAM_LATENCY_MS = 6000;
/** A skew past the fresh lifetime: an instance that finds every token due (forced refresh). */
const LATE_SKEW = 3600;

const until = async (done: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Asks again while the answer is 503 `store_unavailable` (a fresh instance's first commands on a
 * loaded machine can run past the 1 s command timeout): a 503 before the provider call spends
 * nothing, and one after it would lose the rotated token, which the strict checks below then catch.
 */
async function askUntilServed(
  ask: () => Promise<TokenAnswer>,
  attempts = 10,
): Promise<TokenAnswer> {
  let answer = await ask();
  for (let i = 1; i < attempts && answer.status === 503; i++) {
    await new Promise((r) => setTimeout(r, 200));
    answer = await ask();
  }
  return answer;
}

/**
 * The master holding a session's slot is killed (SIGKILL) and restarted while its refresh is in
 * flight upstream and 300 requests wait for it. Nodes persist (AOF, fsync always): a master that
 * comes back empty would be a lost store, not a store behaviour to test.
 */
describe('Redis Cluster node restart during a refresh storm (3 instances, iSolarCloud rotating)', () => {
  let cluster: RedisCluster;
  let fx: ProviderFixture;
  let knobs: RefreshKnobs;
  let apps: TestApp[] = [];
  const options = (extra: Partial<TestAppOptions> = {}): TestAppOptions => ({
    providers: [fx.definition],
    store: cluster.url,
    httpTimeoutMs: 10_000,
    ...extra,
  });

  beforeAll(async () => {
    [cluster, fx] = await Promise.all([
      RedisCluster.start({ persistent: true }),
      isolarcloudFixture(),
    ]);
    knobs = refreshKnobs(fx);
    knobs.enableRotation();
    apps = await Promise.all([1, 2, 3].map(() => startTestApp(options())));
  });
  afterAll(async () => {
    await closeAll(apps);
    await fx?.fake.stop();
    await cluster?.stop();
  });

  it('answers 200 or 503 store_unavailable, never refreshes twice, keeps the rotated token and recovers', async () => {
    knobs.setAccessTokenLifetime(DUE_LIFETIME);
    const first = await loginOn(apps[0], fx);
    knobs.setAccessTokenLifetime(FRESH_LIFETIME);
    const digest = createHash('sha256').update(sessionIdOf(apps[0], first)).digest('base64url');
    const node = cluster.nodes[await cluster.nodeOf(`auth-code:session:{${digest}}`)];
    const ask = (i: number) => askToken(sameUserOn(apps[i % apps.length], first), fx.id);

    fx.fake.latencyMs = UPSTREAM_LATENCY_MS;
    const storm = Promise.all(Array.from({ length: 300 }, (_, i) => ask(i)));
    await until(() => knobs.refreshCalls().length === 1, 'the refresh to reach the provider');
    await node.stop();
    await new Promise((r) => setTimeout(r, 300));
    await node.restart();
    await cluster.whenHealthy();
    // the refresh is still in flight: these wait for its result instead of refreshing again
    const afterRestart = Promise.all(Array.from({ length: 30 }, (_, i) => ask(i)));
    const answers = [...(await storm), ...(await afterRestart)];
    fx.fake.latencyMs = 0;

    const unexpected = answers.filter(
      (a) => a.status !== 200 && !(a.status === 503 && a.body.error === 'store_unavailable'),
    );
    expect(unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([]);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0); // the outage was felt
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ok.map((a) => a.body.expiresAt)).size).toBe(1);
    expect(knobs.refreshCalls()).toHaveLength(1);

    // recovered on every instance, with the refreshed token stored
    for (let i = 0; i < apps.length; i++) {
      expect(await askUntilServed(() => ask(i))).toMatchObject({
        status: 200,
        body: { refreshed: false },
      });
    }
    expect(knobs.refreshCalls()).toHaveLength(1);
    // the stored refresh token is the rotated one: a forced refresh presents it and is accepted
    const late = await startTestApp(options({ refreshSkewSeconds: LATE_SKEW }));
    try {
      const forced = await askUntilServed(() => askToken(sameUserOn(late, first), fx.id));
      expect(forced).toMatchObject({ status: 200, body: { refreshed: true } });
      const calls = knobs.refreshCalls();
      expect(calls).toHaveLength(2);
      const [spent, rotated] = calls.map((c) => knobs.presentedRefreshToken(c));
      expect(rotated).not.toBe(spent);
    } finally {
      await late.close();
    }
  });
});
