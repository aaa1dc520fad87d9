import {
  LoginRequiredError,
  ProviderRejectedError,
  TransportError,
} from '../errors/auth-code.errors';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import type { ProviderDefinition } from '../core/provider-definition';
import {
  expireGrant,
  login,
  makeService,
  startFake,
  type ServiceKit,
} from '../../../../test/support/token-service.kit';

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('TokenService (memory store, real fake OAuth2 server)', () => {
  let fake: FakeOAuth2;
  let def: ProviderDefinition;
  let kit: ServiceKit;
  const fakes: FakeOAuth2[] = [];

  beforeEach(async () => {
    ({ fake, def } = await startFake());
    fakes.push(fake);
    kit = makeService([def]);
  });
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.stop()));
  });

  describe('saveLogin', () => {
    it('stores a real login under a new 256-bit session id and hands its token out as is', async () => {
      const session = await login(kit, fake, def);
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session).toMatchObject({
        user: { provider: def.id, id: 'user-1' },
        providers: [def.id],
      });
      expect(await kit.service.getSession(session.id)).toEqual(session);
      const { tokenSet, refreshed } = await kit.service.getValidToken(session.id, def.id);
      expect(refreshed).toBe(false);
      expect(fake.grants.userOf(tokenSet.accessToken)).toBe('user-1');
      expect(fake.refreshCount).toBe(0);
    });

    it('issues a new session id at every login and destroys the old one, leaving a short tombstone', async () => {
      const first = await login(kit, fake, def);
      const second = await login(kit, fake, def, first.id);
      expect(second.id).not.toBe(first.id);
      // the old id is logged out at once: no session, no grant, no token; a tombstone beside it
      expect(await kit.service.getSession(first.id)).toBeUndefined();
      expect(await kit.service.wasReplaced(first.id)).toBe(true);
      expect(await kit.store.getSession(`replaced:${first.id}`)).toMatchObject({
        kind: 'replaced',
        providers: [],
        user: { id: '' },
      });
      expect(await kit.service.getGrant(first.id, def.id)).toBeUndefined();
      await expect(kit.service.getValidToken(first.id, def.id)).rejects.toBeInstanceOf(
        LoginRequiredError,
      );
      expect(await kit.service.getSession(second.id)).toBeDefined();
      expect(await kit.service.wasReplaced(second.id)).toBe(false);
      // a login with the dead id carries nothing over
      const third = await login(kit, fake, def, first.id);
      expect(third.providers).toEqual([def.id]);
      expect(await kit.service.wasReplaced(third.id)).toBe(false);
    });

    it('keeps the grants of other providers when a logged-in session logs in elsewhere (linking)', async () => {
      const beta = await startFake({ id: 'beta', displayName: 'Beta' });
      fakes.push(beta.fake);
      kit = makeService([def, beta.def]);
      const first = await login(kit, fake, def);
      const alphaToken = (await kit.service.getGrant(first.id, def.id))!.tokenSet.accessToken;
      const linked = await login(kit, beta.fake, beta.def, first.id);
      expect(linked.providers.sort()).toEqual(['beta', def.id].sort());
      expect(linked.user).toEqual(first.user);
      expect((await kit.service.getValidToken(linked.id, def.id)).tokenSet.accessToken).toBe(
        alphaToken,
      );
      expect((await kit.service.getValidToken(linked.id, 'beta')).tokenSet.accessToken).toMatch(
        /^at-/,
      );
    });

    it('starts a fresh session for an unknown session id', async () => {
      const session = await login(kit, fake, def, 'forged-or-expired');
      expect(session.providers).toEqual([def.id]);
      expect(session.id).not.toBe('forged-or-expired');
      expect(await kit.service.getSession('forged-or-expired')).toBeUndefined();
    });
  });

  describe('getValidToken', () => {
    it('requires login for an unknown session', async () => {
      const err = await rejection(kit.service.getValidToken('nobody', def.id));
      expect(err).toBeInstanceOf(LoginRequiredError);
      expect(err).toMatchObject({
        code: 'login_required',
        status: 401,
        message: 'Log in with Fake OAuth2 again',
      });
    });

    it('refreshes an expired token once for 300 concurrent callers and stores the rotated refresh token', async () => {
      const session = await login(kit, fake, def);
      const before = (await kit.service.getGrant(session.id, def.id))!.tokenSet;
      await expireGrant(kit.store, session.id, def.id);
      fake.latencyMs = 50;
      const results = await Promise.all(
        Array.from({ length: 300 }, () => kit.service.getValidToken(session.id, def.id)),
      );
      expect(fake.refreshCount).toBe(1);
      expect(new Set(results.map((r) => r.tokenSet.expiresAt)).size).toBe(1);
      expect(new Set(results.map((r) => r.tokenSet.accessToken)).size).toBe(1);
      expect(results.every((r) => r.refreshed)).toBe(true);
      const stored = (await kit.service.getGrant(session.id, def.id))!.tokenSet;
      expect(stored.refreshToken).not.toBe(before.refreshToken);
      expect(stored.refreshToken).toBe(fake.grants.currentRefreshToken(before.refreshToken!));
      expect(stored.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
    });

    it('keeps the old refresh token when the provider returns none', async () => {
      const plain = await startFake({}, false);
      fakes.push(plain.fake);
      kit = makeService([plain.def]);
      const session = await login(kit, plain.fake, plain.def);
      const before = (await kit.service.getGrant(session.id, plain.def.id))!.tokenSet;
      await expireGrant(kit.store, session.id, plain.def.id);
      const { tokenSet } = await kit.service.getValidToken(session.id, plain.def.id);
      expect(tokenSet.accessToken).not.toBe(before.accessToken);
      expect(tokenSet.refreshToken).toBe(before.refreshToken);
      expect((await kit.service.getGrant(session.id, plain.def.id))!.tokenSet.refreshToken).toBe(
        before.refreshToken,
      );
    });

    it('drops the grant and requires login on invalid_grant, with exactly one upstream call', async () => {
      const session = await login(kit, fake, def);
      await expireGrant(kit.store, session.id, def.id);
      fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } }, 5);
      const errors = await Promise.all(
        Array.from({ length: 20 }, () => rejection(kit.service.getValidToken(session.id, def.id))),
      );
      expect(
        errors.every((e) => e instanceof LoginRequiredError && e.code === 'login_required'),
      ).toBe(true);
      expect(fake.refreshCount).toBe(1);
      expect(await kit.service.getGrant(session.id, def.id)).toBeUndefined();
      expect((await kit.service.getSession(session.id))!.providers).toEqual([]);
      await rejection(kit.service.getValidToken(session.id, def.id));
      expect(fake.refreshCount).toBe(1);
    });

    it('loses the grant when a stale copy presents a rotated refresh token (reuse detection)', async () => {
      const session = await login(kit, fake, def);
      const stale = (await kit.service.getGrant(session.id, def.id))!;
      await kit.service.refresh(session.id, def.id, { force: true });
      const current = (await kit.service.getGrant(session.id, def.id))!;
      const { tokenSet, profile } = stale;
      await kit.store.compareAndSetGrant(
        session.id,
        def.id,
        { tokenSet, profile },
        current.version,
        60_000,
      );
      const err = await rejection(kit.service.refresh(session.id, def.id, { force: true }));
      expect(err).toBeInstanceOf(LoginRequiredError);
      expect(fake.grants.isRevoked(current.tokenSet.refreshToken!)).toBe(true);
      expect(fake.refreshCount).toBe(2);
    });

    it('requires login when the token has expired and there is no refresh token', async () => {
      const { accessToken } = fake.issueTokens();
      const tokenSet = { accessToken, tokenType: 'Bearer', expiresAt: Date.now() - 1 };
      const session = await kit.service.saveLogin(undefined, {
        provider: def.id,
        profile: { provider: def.id, id: 'u' },
        tokenSet,
      });
      expect(await rejection(kit.service.getValidToken(session.id, def.id))).toBeInstanceOf(
        LoginRequiredError,
      );
      expect(fake.refreshCount).toBe(0);
      expect(await kit.service.getGrant(session.id, def.id)).toBeUndefined();
    });

    it('hands out a token without refresh token while it is valid, even inside the skew window', async () => {
      const { accessToken } = fake.issueTokens();
      const tokenSet = { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 30_000 };
      const session = await kit.service.saveLogin(undefined, {
        provider: def.id,
        profile: { provider: def.id, id: 'u' },
        tokenSet,
      });
      expect(await kit.service.getValidToken(session.id, def.id)).toEqual({
        tokenSet,
        refreshed: false,
      });
      expect(fake.refreshCount).toBe(0);
    });

    it('refreshes once for concurrent forced refreshes of a fresh token', async () => {
      const session = await login(kit, fake, def);
      fake.latencyMs = 30;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => kit.service.refresh(session.id, def.id, { force: true })),
      );
      expect(fake.refreshCount).toBe(1);
      expect(new Set(results.map((r) => r.tokenSet.accessToken)).size).toBe(1);
    });
  });

  describe('retries', () => {
    it('retries a refresh that got 503 once and succeeds (2 upstream calls)', async () => {
      const session = await login(kit, fake, def);
      await expireGrant(kit.store, session.id, def.id);
      fake.forceError('refresh', { status: 503, body: '<html>busy</html>' });
      const { refreshed } = await kit.service.getValidToken(session.id, def.id);
      expect(refreshed).toBe(true);
      expect(fake.refreshCount).toBe(2);
    });

    it.each([429, 408, 502])(
      'gives up on repeated %i after the configured retries',
      async (status) => {
        kit = makeService([def], { options: { retry: { retries: 2, baseDelayMs: 5 } } });
        const session = await login(kit, fake, def);
        await expireGrant(kit.store, session.id, def.id);
        fake.forceError('refresh', { status, body: { error: 'temporarily_unavailable' } }, 10);
        const err = await rejection(kit.service.getValidToken(session.id, def.id));
        expect(err).toMatchObject({ upstreamStatus: status });
        expect(fake.refreshCount).toBe(3);
        expect(await kit.service.getGrant(session.id, def.id)).toBeDefined();
      },
    );

    it('does not retry a refusal and keeps the grant', async () => {
      const session = await login(kit, fake, def);
      await expireGrant(kit.store, session.id, def.id);
      fake.forceError('refresh', { status: 400, body: { error: 'invalid_request' } });
      const err = await rejection(kit.service.getValidToken(session.id, def.id));
      expect(err).toBeInstanceOf(ProviderRejectedError);
      expect(fake.refreshCount).toBe(1);
      expect(await kit.service.getGrant(session.id, def.id)).toBeDefined();
    });

    it('fails with TransportError on a hanging token endpoint, once per allowed attempt', async () => {
      kit = makeService([def], {
        timeoutMs: 200,
        options: { retry: { retries: 1, baseDelayMs: 5 } },
      });
      const session = await login(kit, fake, def);
      await expireGrant(kit.store, session.id, def.id);
      fake.injectFault('token', 'hang', 2);
      const err = await rejection(kit.service.getValidToken(session.id, def.id));
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ code: 'timeout', status: 504, operation: 'refresh' });
      expect(fake.refreshCount).toBe(2);
      expect(await kit.service.getGrant(session.id, def.id)).toBeDefined();
    });

    it('re-reads the store before a retry and uses a grant another writer stored meanwhile', async () => {
      kit = makeService([def], { options: { retry: { retries: 2, baseDelayMs: 1000 } } });
      const session = await login(kit, fake, def);
      await expireGrant(kit.store, session.id, def.id);
      fake.forceError('refresh', { status: 503 });
      const pending = kit.service.getValidToken(session.id, def.id);
      while (fake.refreshCount === 0) await new Promise((r) => setTimeout(r, 5));
      const grant = (await kit.store.getGrant(session.id, def.id))!;
      const tokenSet = {
        ...grant.tokenSet,
        accessToken: 'written-by-another-instance',
        expiresAt: Date.now() + 3600_000,
      };
      await kit.store.compareAndSetGrant(
        session.id,
        def.id,
        { tokenSet, profile: grant.profile },
        grant.version,
        60_000,
      );
      expect((await pending).tokenSet.accessToken).toBe('written-by-another-instance');
      expect(fake.refreshCount).toBe(1);
    });
  });

  describe('clock skew (injected clock)', () => {
    const at = (t: { now: number }) => () => t.now;

    async function seed(t: { now: number }, jitterSeconds: number, random = () => 0.5) {
      kit = makeService([def], { options: { now: at(t), skewSeconds: 60, jitterSeconds, random } });
      const issued = fake.issueTokens();
      const tokenSet = { ...issued, tokenType: 'Bearer', expiresAt: t.now + 120_000 };
      const profile = { provider: def.id, id: 'user-1' };
      return kit.service.saveLogin(undefined, { provider: def.id, profile, tokenSet });
    }

    it('refreshes only once expiresAt - skew has passed', async () => {
      const t = { now: Date.now() };
      const session = await seed(t, 0);
      const start = t.now;
      t.now = start + 59_999;
      expect((await kit.service.getValidToken(session.id, def.id)).refreshed).toBe(false);
      t.now = start + 60_000;
      expect((await kit.service.getValidToken(session.id, def.id)).refreshed).toBe(true);
      expect(fake.refreshCount).toBe(1);
    });

    it('adds the random jitter to the skew', async () => {
      const t = { now: Date.now() };
      const session = await seed(t, 10, () => 0.5);
      const start = t.now;
      t.now = start + 54_999;
      expect((await kit.service.getValidToken(session.id, def.id)).refreshed).toBe(false);
      t.now = start + 55_000;
      expect((await kit.service.getValidToken(session.id, def.id)).refreshed).toBe(true);
    });
  });

  describe('revoke and logout', () => {
    it('revokes the refresh token at the provider and deletes the session and its grants', async () => {
      const session = await login(kit, fake, def);
      const { refreshToken, accessToken } = (await kit.service.getGrant(session.id, def.id))!
        .tokenSet;
      await kit.service.logout(session.id);
      expect(fake.count('revoke')).toBe(1);
      expect(fake.requestsTo('revoke')[0].body).toMatchObject({
        token: refreshToken,
        token_type_hint: 'refresh_token',
      });
      expect(fake.grants.userOf(accessToken)).toBeUndefined();
      expect(await kit.service.getSession(session.id)).toBeUndefined();
      expect(await kit.service.getGrant(session.id, def.id)).toBeUndefined();
    });

    it('still logs out when revocation fails, warning without the token', async () => {
      const session = await login(kit, fake, def);
      const { refreshToken } = (await kit.service.getGrant(session.id, def.id))!.tokenSet;
      fake.forceError('revoke', { status: 500 });
      await kit.service.logout(session.id);
      expect(await kit.service.getSession(session.id)).toBeUndefined();
      expect(kit.warnings).toEqual([
        expect.stringContaining('Revoking the fake-oauth2 grant failed'),
      ]);
      expect(kit.warnings.join()).not.toContain(refreshToken);
    });

    it('does not call a provider without a revocation endpoint', async () => {
      const bare = await startFake({ id: 'bare', revoke: undefined });
      fakes.push(bare.fake);
      kit = makeService([bare.def]);
      const session = await login(kit, bare.fake, bare.def);
      await kit.service.logout(session.id);
      expect(bare.fake.count('revoke')).toBe(0);
      expect(await kit.service.getSession(session.id)).toBeUndefined();
    });

    it('revokes one provider and keeps the rest of the session', async () => {
      const beta = await startFake({ id: 'beta', displayName: 'Beta' });
      fakes.push(beta.fake);
      kit = makeService([def, beta.def]);
      const first = await login(kit, fake, def);
      const session = await login(kit, beta.fake, beta.def, first.id);
      await kit.service.revoke(session.id, 'beta');
      expect(beta.fake.count('revoke')).toBe(1);
      expect(await kit.service.getGrant(session.id, 'beta')).toBeUndefined();
      expect((await kit.service.getSession(session.id))!.providers).toEqual([def.id]);
      expect(await kit.service.getGrant(session.id, def.id)).toBeDefined();
    });
  });
});
