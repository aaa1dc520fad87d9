import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import type { ProviderDefinition } from '../core/provider-definition';
import { MemoryTokenStore } from '../stores/memory-token.store';
import type { SessionRecord } from '../stores/token-store.interface';
import { ConnectionDirectory, type ConnectedUser } from './connection-directory';
import { GrantUpkeep } from './grant-upkeep';
import { connectionsId } from './grant-owner';
import {
  login,
  makeService,
  startFake,
  type ServiceKit,
} from '../../../../test/support/token-service.kit';

/** Everything an async iterable yields, sorted by user key. */
async function all(users: AsyncIterable<ConnectedUser>): Promise<ConnectedUser[]> {
  const out: ConnectedUser[] = [];
  for await (const u of users) out.push(u);
  return out.sort((a, b) => a.userKey.localeCompare(b.userKey));
}

/** Every user key in the raw shards of `provider` (what is stored, before any check). */
async function rawKeys(kit: Pick<ServiceKit, 'store'>, provider: string): Promise<string[]> {
  const keys: string[] = [];
  for (let n = 0; n < 32; n++) {
    const users = (await kit.store.getGrant(`connections-directory:${n}`, provider))?.claims?.users;
    if (Array.isArray(users)) keys.push(...(users as string[]));
  }
  return keys.sort();
}

describe('TokenService.connectedUsers (the connections directory, memory store, real fake OAuth2 servers)', () => {
  let alpha: { fake: FakeOAuth2; def: ProviderDefinition };
  let beta: { fake: FakeOAuth2; def: ProviderDefinition };
  let kit: ServiceKit;

  /** Logs `sub` in with `p` (a new browser). */
  const loginAs = (p: { fake: FakeOAuth2; def: ProviderDefinition }, sub: string) => {
    p.fake.user = { ...p.fake.user, sub };
    return login(kit, p.fake, p.def);
  };

  beforeEach(async () => {
    alpha = await startFake({ id: 'alpha', displayName: 'Alpha' });
    beta = await startFake({ id: 'beta', displayName: 'Beta' });
    // alpha's grants are connections (user scope), beta's end with the session
    kit = makeService([alpha.def, beta.def], {
      options: { grantScope: { alpha: 'user', beta: 'session' } },
    });
  });
  afterEach(async () => {
    await Promise.all([alpha.fake.stop(), beta.fake.stop()]);
  });

  it('lists every user connected to a provider, after logout too, and never a session-scoped one', async () => {
    const ada = await loginAs(alpha, 'ada');
    await loginAs(alpha, 'bob');
    await loginAs(beta, 'carl');
    await kit.service.logout(ada.id);

    expect(await all(kit.service.connectedUsers('alpha'))).toEqual([
      { userKey: 'alpha:ada', status: 'connected' },
      { userKey: 'alpha:bob', status: 'connected' },
    ]);
    expect(await all(kit.service.connectedUsers('beta'))).toEqual([]);
    expect(await rawKeys(kit, 'beta')).toEqual([]);
  });

  it('lists a user once however often they log in', async () => {
    for (let i = 0; i < 3; i++) await loginAs(alpha, 'ada');
    expect(await rawKeys(kit, 'alpha')).toEqual(['alpha:ada']);
  });

  it('forgets a user at disconnect (from a session or from forUser), and lists them again at their next login', async () => {
    const ada = await loginAs(alpha, 'ada');
    await loginAs(alpha, 'bob');
    await kit.service.revoke(ada.id, 'alpha');
    await kit.service.forUser('alpha:bob').disconnect('alpha');
    expect(alpha.fake.requestsTo('revoke')).toHaveLength(2);
    expect(await all(kit.service.connectedUsers('alpha'))).toEqual([]);
    expect(await rawKeys(kit, 'alpha')).toEqual([]);

    await loginAs(alpha, 'bob');
    expect(await all(kit.service.connectedUsers('alpha'))).toEqual([
      { userKey: 'alpha:bob', status: 'connected' },
    ]);
  });

  it('lists a connection whose refresh token died as login_required', async () => {
    alpha.fake.lifetimeSeconds = 30; // inside the 60 s skew: due at once
    await loginAs(alpha, 'ada');
    const grant = (await kit.store.getGrant(connectionsId('alpha:ada'), 'alpha'))!;
    alpha.fake.grants.revoke(grant.tokenSet.refreshToken!);
    const upkeep = new GrantUpkeep(kit.service, kit.store, { logger: { warn: () => undefined } });
    expect(await upkeep.runOnce()).toMatchObject({ dead: 1 });

    expect(await all(kit.service.connectedUsers('alpha'))).toEqual([
      { userKey: 'alpha:ada', status: 'login_required' },
    ]);
  });

  it('forgets, while listing, a user whose connections record has gone (expired)', async () => {
    await loginAs(alpha, 'ada');
    await loginAs(alpha, 'bob');
    await kit.store.deleteSession(connectionsId('alpha:ada'));

    expect(await all(kit.service.connectedUsers('alpha'))).toEqual([
      { userKey: 'alpha:bob', status: 'connected' },
    ]);
    expect(await rawKeys(kit, 'alpha')).toEqual(['alpha:bob']);
  });

  it('is read from the store: a new TokenService on the same store (a restarted instance) lists the same users', async () => {
    await loginAs(alpha, 'ada');
    const restarted = makeService([alpha.def, beta.def], {
      store: kit.store,
      options: { grantScope: { alpha: 'user' } },
    });
    expect(await all(restarted.service.connectedUsers('alpha'))).toEqual([
      { userKey: 'alpha:ada', status: 'connected' },
    ]);
  });

  it('keeps no token in the directory', async () => {
    await loginAs(alpha, 'ada');
    const tokens = (await kit.store.getGrant(connectionsId('alpha:ada'), 'alpha'))!.tokenSet;
    for (let n = 0; n < 32; n++) {
      const shard = await kit.store.getGrant(`connections-directory:${n}`, 'alpha');
      const text = JSON.stringify(shard ?? {});
      expect(text).not.toContain(tokens.accessToken);
      expect(text).not.toContain(tokens.refreshToken!);
    }
  });
});

describe('ConnectionDirectory under concurrent writers (memory store)', () => {
  const record = (userKey: string, providers: string[]): SessionRecord => ({
    id: connectionsId(userKey),
    kind: 'connections',
    userKey,
    user: { provider: 'alpha', id: userKey },
    providers,
    createdAt: Date.now(),
  });

  it('loses no user when 200 users connect at the same moment (compare-and-set, retried)', async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const warnings: string[] = [];
    const directory = new ConnectionDirectory(store, {
      ttlMs: 60_000,
      logger: { warn: (m) => warnings.push(m) },
      now: Date.now,
    });
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    await Promise.all(keys.map((k) => store.setSession(record(k, ['alpha']), 60_000)));
    await Promise.all(keys.map((k) => directory.add('alpha', k)));

    expect(warnings).toEqual([]);
    expect(await all(directory.connectedUsers('alpha'))).toEqual(
      keys
        .map((userKey) => ({ userKey, status: 'connected' }))
        .sort((a, b) => a.userKey.localeCompare(b.userKey)),
    );
  });

  it('puts a user back when a login reconnected them while the disconnect was forgetting them', async () => {
    const store = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
    const directory = new ConnectionDirectory(store, {
      ttlMs: 60_000,
      logger: { warn: () => undefined },
      now: Date.now,
    });
    await store.setSession(record('ada', ['alpha']), 60_000);
    await directory.add('alpha', 'ada');
    // the disconnect dropped the grant, but a login in another tab wrote the record again
    await directory.forget('alpha', 'ada');
    expect(await all(directory.connectedUsers('alpha'))).toEqual([
      { userKey: 'ada', status: 'connected' },
    ]);
  });
});

describe('TokenService.getGrant of a session whose grant is a connection', () => {
  it("reads the user's connection, with or without the session record at hand", async () => {
    const alpha = await startFake({ id: 'alpha', displayName: 'Alpha' });
    try {
      const kit = makeService([alpha.def], { options: { grantScope: 'user' } });
      const session = await login(kit, alpha.fake, alpha.def);
      const stored = await kit.store.getGrant(connectionsId('alpha:user-1'), 'alpha');
      expect(stored).toBeDefined();
      expect(await kit.store.getGrant(session.id, 'alpha')).toBeUndefined();
      expect(await kit.service.getGrant(session.id, 'alpha')).toEqual(stored);
      expect(await kit.service.getGrant(session.id, 'alpha', session)).toEqual(stored);
      await kit.service.logout(session.id);
      expect(await kit.service.getGrant(session.id, 'alpha')).toBeUndefined();
    } finally {
      await alpha.fake.stop();
    }
  });
});
