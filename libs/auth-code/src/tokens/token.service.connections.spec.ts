import { LoginRequiredError } from '../errors/auth-code.errors';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import type { ProviderDefinition } from '../core/provider-definition';
import { GrantUpkeep } from './grant-upkeep';
import { connectionsId } from './grant-owner';
import type { LoginRequiredEvent } from './connections.types';
import {
  login,
  makeService,
  startFake,
  type ServiceKit,
} from '../../../../test/support/token-service.kit';
import { rejectionOf as rejection } from '../../../../test/support/rejection';

describe('TokenService connections (user-scoped grants, memory store, real fake OAuth2 servers)', () => {
  let alpha: { fake: FakeOAuth2; def: ProviderDefinition };
  let beta: { fake: FakeOAuth2; def: ProviderDefinition };
  let kit: ServiceKit;
  let events: LoginRequiredEvent[];

  const service = (grantScope: 'user' | 'session' = 'user', extra = {}) => {
    events = [];
    return makeService([alpha.def, beta.def], {
      options: { grantScope, ...extra },
      onLoginRequired: (e) => events.push(e),
    });
  };

  beforeEach(async () => {
    alpha = await startFake({ id: 'alpha', displayName: 'Alpha' });
    beta = await startFake({ id: 'beta', displayName: 'Beta' });
    kit = service();
  });
  afterEach(async () => {
    await Promise.all([alpha.fake.stop(), beta.fake.stop()]);
  });

  it('keeps a user-scoped grant at logout; the next login of the same user finds it again', async () => {
    const first = await login(kit, alpha.fake, alpha.def);
    expect(first).toMatchObject({ userKey: 'alpha:user-1', connected: ['alpha'] });
    const token = (await kit.service.getValidToken(first.id, 'alpha')).tokenSet.accessToken;
    await kit.service.logout(first.id);
    expect(alpha.fake.requestsTo('revoke')).toHaveLength(0);
    expect(await kit.service.getSession(first.id)).toBeUndefined();

    // a new browser: beta's login belongs to another user key by default, so alpha is not there
    const other = await login(kit, beta.fake, beta.def);
    expect(other.providers).toEqual(['beta']);
    // the same user logs in with alpha again: one connection, replaced by the new login's tokens
    const again = await login(kit, alpha.fake, alpha.def);
    expect(again.providers).toEqual(['alpha']);
    const now = (await kit.service.getValidToken(again.id, 'alpha')).tokenSet.accessToken;
    expect(now).not.toBe(token);
    expect(alpha.fake.grants.userOf(now)).toBe('user-1');
  });

  it('links two providers to one user through resolveUserKey, and a later session finds both', async () => {
    kit = service('user', { resolveUserKey: () => 'app-user-7' });
    const first = await login(kit, alpha.fake, alpha.def);
    const linked = await login(kit, beta.fake, beta.def, first.id);
    expect(linked.connected?.sort()).toEqual(['alpha', 'beta']);
    await kit.service.logout(linked.id);

    const later = await login(kit, beta.fake, beta.def);
    expect(later.providers.sort()).toEqual(['alpha', 'beta']);
    const list = await kit.service.connections(later.id);
    expect(list.map((c) => [c.provider, c.userId, c.scope, c.status]).sort()).toEqual([
      ['alpha', 'user-1', 'user', 'connected'],
      ['beta', 'user-1', 'user', 'connected'],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/at-|rt-/);
    expect((await kit.service.forUser('app-user-7').connections()).length).toBe(2);
  });

  it('forUser refreshes a due connection once for concurrent callers and rotates it', async () => {
    alpha.fake.lifetimeSeconds = 30; // inside the 60 s skew: due at once
    await login(kit, alpha.fake, alpha.def);
    const user = kit.service.forUser('alpha:user-1');
    alpha.fake.lifetimeSeconds = 3600;
    const results = await Promise.all(Array.from({ length: 5 }, () => user.getValidToken('alpha')));
    expect(alpha.fake.refreshCount).toBe(1);
    expect(new Set(results.map((r) => r.tokenSet.accessToken)).size).toBe(1);
    const grant = await kit.store.getGrant(connectionsId('alpha:user-1'), 'alpha');
    expect(grant).toMatchObject({
      version: 2,
      tokenSet: { accessToken: results[0].tokenSet.accessToken },
    });
    expect(grant?.refreshedAt).toEqual(expect.any(Number));
  });

  it('forUser of a user without the connection is login_required', async () => {
    const err = await rejection(
      kit.service.forUser('nobody').getValidToken('alpha'),
      LoginRequiredError,
    );
    expect(err.code).toBe('login_required');
  });

  it('disconnect revokes at the provider and deletes the connection for every session of the user', async () => {
    const a = await login(kit, alpha.fake, alpha.def);
    const b = await login(kit, alpha.fake, alpha.def); // a second browser of the same user
    await kit.service.revoke(a.id, 'alpha');
    expect(alpha.fake.requestsTo('revoke')).toHaveLength(1);
    expect(await kit.store.getGrant(connectionsId('alpha:user-1'), 'alpha')).toBeUndefined();
    expect((await kit.service.getSession(a.id))?.providers).toEqual([]);
    const err = await rejection(kit.service.getValidToken(b.id, 'alpha'), LoginRequiredError);
    expect(err.provider).toBe('alpha');
    expect(await kit.service.forUser('alpha:user-1').connections()).toEqual([]);
  });

  it('session scope (the default) still revokes and deletes at logout', async () => {
    kit = service('session');
    const s = await login(kit, alpha.fake, alpha.def);
    expect(s.connected).toBeUndefined();
    await kit.service.logout(s.id);
    expect(alpha.fake.requestsTo('revoke')).toHaveLength(1);
    expect(await kit.store.getGrant(s.id, 'alpha')).toBeUndefined();
  });

  describe('background upkeep', () => {
    const upkeep = (k: ServiceKit, now = () => Date.now()) =>
      new GrantUpkeep(k.service, k.store, { logger: { warn: (m) => k.warnings.push(m) }, now });

    it('refreshes a due connection exactly once with two instances claiming at the same time', async () => {
      alpha.fake.lifetimeSeconds = 30;
      await login(kit, alpha.fake, alpha.def);
      await login(kit, beta.fake, beta.def);
      alpha.fake.lifetimeSeconds = 3600;
      beta.fake.lifetimeSeconds = 3600;
      const [one, two] = await Promise.all([upkeep(kit).runOnce(), upkeep(kit).runOnce()]);
      expect(alpha.fake.refreshCount).toBe(1);
      expect(beta.fake.refreshCount).toBe(0); // its token is fresh for an hour: not due
      expect(one.claimed + two.claimed).toBe(1);
      expect(one.refreshed + two.refreshed).toBe(1);
      // the next round finds nothing due: the new token is fresh
      expect((await upkeep(kit).runOnce()).claimed).toBe(0);
    });

    it('marks a dead connection login_required with one upstream call, reports it once, never retries', async () => {
      alpha.fake.lifetimeSeconds = 30;
      const s = await login(kit, alpha.fake, alpha.def);
      const { refreshToken } = (await kit.store.getGrant(connectionsId('alpha:user-1'), 'alpha'))!
        .tokenSet;
      alpha.fake.grants.revoke(refreshToken!);
      const round = await upkeep(kit).runOnce();
      expect(round).toMatchObject({ claimed: 1, dead: 1, refreshed: 0 });
      expect(alpha.fake.refreshCount).toBe(1);
      expect(events).toEqual([
        expect.objectContaining({
          provider: 'alpha',
          userKey: 'alpha:user-1',
          userId: 'user-1',
          code: 'invalid_grant',
        }),
      ]);
      const later = await upkeep(kit, () => Date.now() + 3600_000).runOnce();
      expect(later.claimed).toBe(0);
      expect(alpha.fake.refreshCount).toBe(1);
      expect(events).toHaveLength(1);
      const list = await kit.service.connections(s.id);
      expect(list).toEqual([
        expect.objectContaining({ provider: 'alpha', status: 'login_required', userId: 'user-1' }),
      ]);
      // logging in again heals it
      alpha.fake.lifetimeSeconds = 3600;
      const healed = await login(kit, alpha.fake, alpha.def);
      expect((await kit.service.connections(healed.id)).map((c) => c.status)).toEqual([
        'connected',
      ]);
    });

    it('tells "provider down" from dead: keeps the grant and tries again later, with backoff', async () => {
      alpha.fake.lifetimeSeconds = 30;
      await login(kit, alpha.fake, alpha.def);
      alpha.fake.forceError('refresh', { status: 503 }, 10);
      const t0 = Date.now();
      const round = await upkeep(kit).runOnce();
      expect(round).toMatchObject({ claimed: 1, failed: 1, dead: 0 });
      expect(events).toHaveLength(0);
      expect(await kit.store.getGrant(connectionsId('alpha:user-1'), 'alpha')).toBeDefined();
      // not before the backoff (one interval: 300 s by default), then again
      expect((await upkeep(kit, () => t0 + 200_000).runOnce()).claimed).toBe(0);
      const calls = alpha.fake.refreshCount;
      alpha.fake.reset();
      alpha.fake.lifetimeSeconds = 3600;
      const retried = await upkeep(kit, () => t0 + 301_000).runOnce();
      expect(calls).toBe(3); // one refresh with its two retries
      expect(retried).toMatchObject({ claimed: 1, refreshed: 1 });
    });

    it('refreshes a session grant whose refresh token nears its own expiry, and leaves others alone', async () => {
      kit = service('session');
      const s = await login(kit, alpha.fake, alpha.def);
      const grant = (await kit.store.getGrant(s.id, 'alpha'))!;
      expect(grant.upkeepAt).toBeUndefined(); // the fake's refresh tokens do not say when they expire
      expect((await upkeep(kit).runOnce()).claimed).toBe(0);
      // as a login with XT's refresh_expires_in writes it: due a margin before the refresh token dies
      const tokenSet = { ...grant.tokenSet, refreshExpiresAt: Date.now() + 1000 };
      await kit.store.compareAndSetGrant(
        s.id,
        'alpha',
        { tokenSet, profile: grant.profile, upkeepAt: Date.now() - 1 },
        grant.version,
        60_000,
      );
      const round = await upkeep(kit).runOnce();
      expect(round).toMatchObject({ claimed: 1, refreshed: 1 });
      expect(alpha.fake.refreshCount).toBe(1);
      // the refreshed grant's refresh token (no expiry said) is off the schedule again
      expect((await kit.store.getGrant(s.id, 'alpha'))?.upkeepAt).toBeUndefined();
    });
  });
});
