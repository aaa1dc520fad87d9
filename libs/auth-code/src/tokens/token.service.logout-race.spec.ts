import { LoginRequiredError } from '../errors/auth-code.errors';
import type { FakeOAuth2 } from '../testing/fake-oauth2.fake';
import { MemoryTokenStore } from '../stores/memory-token.store';
import type { SessionRecord } from '../stores/token-store.interface';
import { login, makeService, startFake } from '../../../../test/support/token-service.kit';

/**
 * A store in which a logout's `deleteSession` lands right after the refresh path's `deleteGrant`
 * and `getSession`: the record has been read, then the session is deleted before the write.
 */
class LogoutBetweenReadAndWriteStore extends MemoryTokenStore {
  private logoutPending = false;
  logouts = 0;

  override async deleteGrant(sessionId: string, provider: string): Promise<void> {
    await super.deleteGrant(sessionId, provider);
    this.logoutPending = true;
  }

  override async getSession(id: string): Promise<SessionRecord | undefined> {
    const session = await super.getSession(id);
    if (this.logoutPending) {
      this.logoutPending = false;
      this.logouts++;
      await this.deleteSession(id);
    }
    return session;
  }
}

describe('TokenService when a logout races a refresh that fails with invalid_grant', () => {
  let fake: FakeOAuth2;
  afterEach(() => fake?.stop());

  it('does not bring back the session the logout deleted between the read and the write', async () => {
    const started = await startFake();
    fake = started.fake;
    const store = new LogoutBetweenReadAndWriteStore(undefined, { sweepIntervalMs: 0 });
    const kit = makeService([started.def], { store });
    const session = await login(kit, fake, started.def);
    // the logout revokes upstream first: the concurrent refresh gets invalid_grant
    fake.forceError('refresh', { status: 400, body: { error: 'invalid_grant' } }, 1);

    await expect(
      kit.service.refresh(session.id, started.def.id, { force: true }),
    ).rejects.toBeInstanceOf(LoginRequiredError);

    expect(store.logouts).toBe(1);
    expect(await kit.service.getSession(session.id)).toBeUndefined();
    expect(await kit.service.getGrant(session.id, started.def.id)).toBeUndefined();
  });
});
