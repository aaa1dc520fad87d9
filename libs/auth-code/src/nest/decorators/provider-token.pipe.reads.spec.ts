import { ProviderRegistry } from '../../core/provider-registry';
import { acme, loggedIn } from '../../../../../test/support/known-session.kit';
import type { AuthenticatedRequest } from '../session/authenticated-request';
import { ProviderTokenPipe } from './provider-token.pipe';

describe('ProviderTokenPipe store reads', () => {
  it('resolves the token reading only the grant after SessionGuard attached the session', async () => {
    const { store, service, session } = await loggedIn();
    const pipe = new ProviderTokenPipe(
      service,
      { sessionId: () => undefined },
      new ProviderRegistry([acme]),
    );
    const request = { authSession: session } as AuthenticatedRequest;
    await expect(pipe.transform({ provider: 'acme', request })).resolves.toBe('at-1');
    expect(store.reads).toEqual(['grant acme']);
  });
});
