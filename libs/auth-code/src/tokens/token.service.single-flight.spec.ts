import type { ProviderDefinition } from '../core/provider-definition';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import type { TokenLock } from '../stores/token-store.interface';
import {
  expireGrant,
  login,
  makeService,
  startFake,
} from '../../../../test/support/token-service.kit';

/**
 * A lock that never says no and counts how often it is asked: with it, the cross-instance lock
 * cannot hide a missing in-process single-flight (every concurrent caller would take "the" lock
 * and refresh on its own).
 */
class AlwaysGrantingLock implements TokenLock {
  acquisitions = 0;
  releases = 0;

  async acquire(): Promise<string> {
    this.acquisitions++;
    return `owner-${this.acquisitions}`;
  }

  async release(): Promise<void> {
    this.releases++;
  }
}

describe('TokenService: one refresh per (session, provider) in this process', () => {
  let fake: FakeOAuth2;
  let def: ProviderDefinition;
  beforeEach(async () => ({ fake, def } = await startFake()));
  afterEach(() => fake.stop());

  it('shares one refresh between concurrent callers, even when the lock would let each through', async () => {
    const lock = new AlwaysGrantingLock();
    const kit = makeService([def], { lock });
    const session = await login(kit, fake, def);
    await expireGrant(kit.store, session.id, def.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => kit.service.getValidToken(session.id, def.id)),
    );
    expect(fake.refreshCount).toBe(1);
    expect(lock.acquisitions).toBe(1);
    expect(lock.releases).toBe(1);
    const tokens = new Set(results.map((r) => r.tokenSet.accessToken));
    expect(tokens.size).toBe(1);
    expect(results.every((r) => r.refreshed)).toBe(true);
  });

  it('keeps sessions apart: two sessions refresh once each', async () => {
    const lock = new AlwaysGrantingLock();
    const kit = makeService([def], { lock });
    const [a, b] = [await login(kit, fake, def), await login(kit, fake, def)];
    await expireGrant(kit.store, a.id, def.id);
    await expireGrant(kit.store, b.id, def.id);
    await Promise.all([a, b, a, b].map((s) => kit.service.getValidToken(s.id, def.id)));
    expect(fake.refreshCount).toBe(2);
    expect(lock.acquisitions).toBe(2);
  });

  it('starts a new refresh once the shared one has settled', async () => {
    const lock = new AlwaysGrantingLock();
    const kit = makeService([def], { lock });
    const session = await login(kit, fake, def);
    await expireGrant(kit.store, session.id, def.id);
    await kit.service.getValidToken(session.id, def.id);
    await expireGrant(kit.store, session.id, def.id);
    await kit.service.getValidToken(session.id, def.id);
    expect(fake.refreshCount).toBe(2);
  });
});
