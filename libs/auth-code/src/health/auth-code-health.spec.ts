import { ProviderRegistry } from '../core/provider-registry';
import { oidc } from '../providers/oidc/oidc.provider';
import { tencentCiam } from '../providers/tencent-ciam/tencent-ciam.provider';
import { FakeTencentCiam } from '../providers/tencent-ciam/tencent-ciam.fake';
import { xt } from '../providers/xt/xt.provider';
import { MemoryTokenStore } from '../stores/memory-token.store';
import type { LoginTransaction, TokenStore } from '../stores/token-store.interface';
import { FakeOidc } from '../testing/fake-oidc.fake';
import { AuthCodeHealth } from './auth-code-health';

const REDIRECT = 'http://localhost:3000/auth/x/callback';

/** A custom store (no ping) whose transactions can be made to fail or hang. */
class TransactionStore extends MemoryTokenStore {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  writes = 0;

  override async putTransaction(tx: LoginTransaction, ttlMs: number): Promise<void> {
    this.writes++;
    if (this.mode === 'fail') throw Object.assign(new Error('down'), { name: 'StoreDownError' });
    if (this.mode === 'hang') return new Promise(() => undefined);
    return super.putTransaction(tx, ttlMs);
  }
}

/** The same store seen as a custom one: not an instance of a store this library knows. */
function asCustom(store: MemoryTokenStore): TokenStore {
  return {
    getSession: (id) => store.getSession(id),
    setSession: (s, ttl) => store.setSession(s, ttl),
    deleteSession: (id) => store.deleteSession(id),
    getGrant: (s, p) => store.getGrant(s, p),
    compareAndSetGrant: (s, p, g, v, ttl) => store.compareAndSetGrant(s, p, g, v, ttl),
    deleteGrant: (s, p) => store.deleteGrant(s, p),
    putTransaction: (tx, ttl) => store.putTransaction(tx, ttl),
    takeTransaction: (state) => store.takeTransaction(state),
  };
}

describe('AuthCodeHealth', () => {
  const stores: MemoryTokenStore[] = [];
  const memory = <S extends MemoryTokenStore>(s: S) => (stores.push(s), s);
  afterAll(() => stores.forEach((s) => s.close()));

  it('says the memory store is up, and leaves providers without probes out', async () => {
    const registry = new ProviderRegistry([
      xt({
        clientId: 'c',
        clientSecret: 's',
        authorizeUrl: 'https://xt.invalid/a',
        redirectUri: REDIRECT,
      }),
    ]);
    const health = new AuthCodeHealth(memory(new MemoryTokenStore()), registry);
    expect(await health.isHealthy()).toEqual({
      'auth-code-store': { status: 'up', store: 'memory' },
    });
  });

  it('checks a custom store by writing a transaction and taking it back', async () => {
    const store = memory(new TransactionStore());
    const health = new AuthCodeHealth(asCustom(store), new ProviderRegistry());
    expect(await health.checkStore('db', { intervalMs: 0 })).toEqual({
      db: { status: 'up', store: 'custom' },
    });
    store.mode = 'fail';
    expect(await health.checkStore('db', { intervalMs: 0 })).toEqual({
      db: { status: 'down', store: 'custom', reason: 'StoreDownError' },
    });
  });

  it('says down with reason timeout when the store does not answer in time', async () => {
    const store = memory(new TransactionStore());
    store.mode = 'hang';
    const health = new AuthCodeHealth(asCustom(store), new ProviderRegistry());
    expect(await health.checkStore(undefined, { timeoutMs: 50, intervalMs: 0 })).toEqual({
      'auth-code-store': { status: 'down', store: 'custom', reason: 'timeout' },
    });
  });

  it('reuses a result for the interval and shares overlapping checks', async () => {
    const store = memory(new TransactionStore());
    const health = new AuthCodeHealth(asCustom(store), new ProviderRegistry());
    await Promise.all([1, 2, 3].map(() => health.checkStore(undefined, { intervalMs: 60_000 })));
    expect(store.writes).toBe(1);
    store.mode = 'fail';
    const cached = await health.checkStore(undefined, { intervalMs: 60_000 });
    expect(cached['auth-code-store'].status).toBe('up');
    const fresh = await health.checkStore(undefined, { intervalMs: 0 });
    expect(fresh['auth-code-store'].status).toBe('down');
    expect(store.writes).toBe(2);
  });

  describe('providers', () => {
    let tencent: FakeTencentCiam;
    let op: FakeOidc;
    beforeAll(async () => {
      tencent = new FakeTencentCiam({ redirectUris: [REDIRECT] });
      op = new FakeOidc();
      await Promise.all([tencent.start(), op.start()]);
    });
    afterAll(() => Promise.all([tencent.stop(), op.stop()]));

    const registry = () =>
      new ProviderRegistry([
        tencentCiam({
          issuer: tencent.url,
          clientId: tencent.clientId,
          clientSecret: tencent.clientSecret,
          redirectUri: REDIRECT,
        }),
        oidc({
          issuer: op.url,
          clientId: op.clientId,
          clientSecret: 'rp-secret',
          redirectUri: REDIRECT,
        }),
      ]);

    it("fetches each provider's discovery document and JWKS", async () => {
      const health = new AuthCodeHealth(memory(new MemoryTokenStore()), registry());
      expect(await health.isHealthy({ intervalMs: 0 })).toEqual({
        'auth-code-store': { status: 'up', store: 'memory' },
        'auth-code-provider-tencent-ciam': { status: 'up', discovery: 'up', jwks: 'up' },
        'auth-code-provider-oidc': { status: 'up', discovery: 'up', jwks: 'up' },
      });
      expect(tencent.count('jwks')).toBeGreaterThanOrEqual(1);
    });

    it('says which probe failed and why, and is up again once it answers', async () => {
      const health = new AuthCodeHealth(memory(new MemoryTokenStore()), registry());
      const opts = { intervalMs: 0, providers: true };
      tencent.injectFault('jwks', 'status-503');
      op.injectFault('jwks', 'html-200');
      const down = await health.isHealthy(opts);
      expect(down['auth-code-provider-tencent-ciam']).toEqual({
        status: 'down',
        discovery: 'up',
        jwks: 'down',
        reason: 'jwks: HTTP 503',
      });
      expect(down['auth-code-provider-oidc']).toMatchObject({
        status: 'down',
        jwks: 'down',
        reason: 'jwks: not a JSON object',
      });
      const up = await health.isHealthy(opts);
      expect(up['auth-code-provider-tencent-ciam'].status).toBe('up');
      expect(up['auth-code-provider-oidc'].status).toBe('up');
    });

    it('says down when an OIDC provider cannot be discovered at all', async () => {
      const gone = new FakeOidc();
      const url = await gone.start();
      await gone.stop();
      const health = new AuthCodeHealth(
        memory(new MemoryTokenStore()),
        new ProviderRegistry([
          oidc({ issuer: url, clientId: 'c', clientSecret: 's', redirectUri: REDIRECT }),
        ]),
      );
      expect(await health.checkProvider('oidc')).toEqual({
        'auth-code-provider-oidc': { status: 'down', reason: 'provider_unavailable' },
      });
    });
  });
});
