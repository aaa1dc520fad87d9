import { loggedIn } from '../../../../test/support/known-session.kit';

describe('TokenService.getValidToken with the session the caller already read', () => {
  it('hands out the fresh token reading only the grant', async () => {
    const { store, service, session } = await loggedIn();
    const valid = await service.getValidToken(session.id, 'acme', session);
    expect(valid).toMatchObject({ tokenSet: { accessToken: 'at-1' }, refreshed: false });
    expect(store.reads).toEqual(['grant acme']);
  });

  it('reads the session itself when the record given belongs to another session', async () => {
    const { store, service, session } = await loggedIn();
    const other = await service.saveLogin(undefined, {
      provider: 'acme',
      profile: { provider: 'acme', id: 'u2' },
      tokenSet: { accessToken: 'at-2', tokenType: 'Bearer', expiresAt: Date.now() + 3600_000 },
    });
    await store.deleteSession(other.id);
    store.reads.length = 0;
    await expect(service.getValidToken(other.id, 'acme', session)).rejects.toMatchObject({
      code: 'login_required',
    });
    expect(store.reads).toEqual(['session', 'grant acme']);
  });

  it('reads the session without a record, so a logged-out session gets no token', async () => {
    const { store, service, session } = await loggedIn();
    expect((await service.getValidToken(session.id, 'acme')).tokenSet.accessToken).toBe('at-1');
    expect(store.reads).toEqual(['session', 'grant acme']);
    await service.logout(session.id);
    await expect(service.getValidToken(session.id, 'acme')).rejects.toMatchObject({
      code: 'login_required',
    });
  });
});
