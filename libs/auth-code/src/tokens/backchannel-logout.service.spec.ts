import type { LogoutTokenClaims, LogoutTokenSpec } from '../core/provider-logout';
import type { ProviderDefinition } from '../core/provider-definition';
import { ProviderRegistry } from '../core/provider-registry';
import { AuthCodeEngine } from '../engine/auth-code.engine';
import { ConfigurationError, LogoutTokenError } from '../errors/auth-code.errors';
import { MemoryTokenLock } from '../stores/memory-token.lock';
import { MemoryTokenStore } from '../stores/memory-token.store';
import type { TokenStore } from '../stores/token-store.interface';
import { BackchannelLogoutService } from './backchannel-logout.service';
import { TokenService } from './token.service';

/** A logout token validator that reads its claims from the token text (`sub.sid.jti`). */
class TextLogoutTokens implements LogoutTokenSpec {
  async validate(token: string): Promise<LogoutTokenClaims> {
    const [sub, sid, jti] = token.split('.');
    if (!jti) {
      throw new LogoutTokenError({
        code: 'invalid_logout_token',
        operation: 'logout',
        message: 'bad',
      });
    }
    return { sub: sub || undefined, sid: sid || undefined, jti, iat: 0 };
  }
}

const definition = (id: string, logoutToken?: LogoutTokenSpec): ProviderDefinition => ({
  id,
  displayName: id,
  client: { clientId: 'c' },
  redirectUri: 'http://127.0.0.1:9/cb',
  authorize: { url: 'http://127.0.0.1:9/authorize' },
  token: { exchange: { url: 'http://127.0.0.1:9/token' } },
  logoutToken,
  profile: () => ({ id: 'u' }),
});

const grant = (provider: string, claims?: Record<string, unknown>) => ({
  provider,
  profile: { provider, id: String(claims?.sub ?? 'u') },
  tokenSet: {
    accessToken: `at-${provider}`,
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3600_000,
  },
  claims,
});

/** The memory store, keeping the keys of every `indexSession` call. */
class RecordingStore extends MemoryTokenStore {
  readonly indexed: string[][] = [];

  override async indexSession(sessionId: string, keys: string[], ttlMs: number): Promise<void> {
    this.indexed.push(keys);
    return super.indexSession(sessionId, keys, ttlMs);
  }
}

describe('BackchannelLogoutService with TokenService logins', () => {
  const store = new RecordingStore(undefined, { sweepIntervalMs: 0 });
  const registry = new ProviderRegistry([
    definition('op', new TextLogoutTokens()),
    definition('plain'),
  ]);
  const tokens = new TokenService({
    store,
    lock: new MemoryTokenLock(),
    engine: new AuthCodeEngine(),
    registry,
    logger: { warn: () => undefined },
  });
  const service = new BackchannelLogoutService(store, registry);
  afterAll(() => store.close());

  it("ends the sessions of the token sid, and of the user's logins that had no sid, keeping the others", async () => {
    const a = await tokens.saveLogin(undefined, grant('op', { sub: 'alice', sid: 's1' }));
    const b = await tokens.saveLogin(undefined, grant('op', { sub: 'alice', sid: 's2' }));
    const noSid = await tokens.saveLogin(undefined, grant('op', { sub: 'alice' }));
    const bob = await tokens.saveLogin(undefined, grant('op', { sub: 'bob', sid: 's1-bob' }));
    await expect(service.logout('op', 'alice.s1.j1')).resolves.toEqual({
      provider: 'op',
      ended: 2,
    });
    expect(await tokens.getSession(a.id)).toBeUndefined();
    expect(await tokens.getSession(noSid.id)).toBeUndefined();
    expect(await tokens.getSession(b.id)).toBeDefined();
    expect(await tokens.getSession(bob.id)).toBeDefined();
    // a token naming only the user ends all of that user's sessions with the provider
    await expect(service.logout('op', 'alice..j2')).resolves.toMatchObject({ ended: 1 });
    expect(await tokens.getSession(b.id)).toBeUndefined();
    expect(await tokens.getSession(bob.id)).toBeDefined();
  });

  it('follows a grant into the new session of an account-linking login', async () => {
    const first = await tokens.saveLogin(undefined, grant('op', { sub: 'carol', sid: 'c1' }));
    const linked = await tokens.saveLogin(first.id, grant('plain'));
    expect(linked.providers).toEqual(['plain', 'op']);
    await expect(service.logout('op', 'carol.c1.j3')).resolves.toMatchObject({ ended: 1 });
    expect(await tokens.getSession(linked.id)).toBeUndefined();
  });

  it('does not index logins of a provider without back-channel logout', async () => {
    store.indexed.length = 0;
    await tokens.saveLogin(undefined, grant('plain', { sub: 'dave', sid: 'd1' }));
    expect(store.indexed).toEqual([]);
    await tokens.saveLogin(undefined, grant('op', { sub: 'dave', sid: 'd1' }));
    expect(store.indexed).toEqual([['op\0sub\0dave', 'op\0sid\0d1']]);
  });

  it('refuses a replayed jti, a token the validator refuses, a provider without logout tokens', async () => {
    await service.logout('op', 'erin.e1.j-replay');
    await expect(service.logout('op', 'erin.e1.j-replay')).rejects.toThrow(/seen before/);
    await expect(service.logout('op', 'no-jti')).rejects.toBeInstanceOf(LogoutTokenError);
    for (const token of [undefined, '', ['a.b.c'], 'x'.repeat(17 * 1024)]) {
      await expect(service.logout('op', token)).rejects.toThrow(/carries no logout_token/);
    }
    await expect(service.logout('plain', 'a.b.c')).rejects.toThrow(
      /does not send back-channel logout tokens/,
    );
    await expect(service.logout('nope', 'a.b.c')).rejects.toMatchObject({
      code: 'provider_disabled',
    });
  });

  it('needs a store with an index: another store is a configuration error', async () => {
    const bare = {
      getSession: store.getSession.bind(store),
    } as unknown as TokenStore;
    const err = await new BackchannelLogoutService(bare, registry)
      .logout('op', 'a.b.c')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/cannot index sessions/);
  });
});
