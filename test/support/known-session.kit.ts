/** Test kit: a token service whose store counts reads (session reuse specs). */
import { ProviderRegistry } from '../../libs/auth-code/src/core/provider-registry';
import { AuthCodeEngine } from '../../libs/auth-code/src/engine/auth-code.engine';
import { oauth2 } from '../../libs/auth-code/src/providers/oauth2/oauth2.provider';
import { MemoryTokenLock } from '../../libs/auth-code/src/stores/memory-token.lock';
import { MemoryTokenStore } from '../../libs/auth-code/src/stores/memory-token.store';
import type { SessionRecord } from '../../libs/auth-code/src/stores/token-store.interface';
import { TokenService } from '../../libs/auth-code/src/tokens/token.service';

/** The memory store, recording every session and grant read. */
export class ReadCountingStore extends MemoryTokenStore {
  readonly reads: string[] = [];

  override async getSession(id: string): Promise<SessionRecord | undefined> {
    this.reads.push('session');
    return super.getSession(id);
  }

  override async getGrant(sessionId: string, provider: string) {
    this.reads.push(`grant ${provider}`);
    return super.getGrant(sessionId, provider);
  }
}

/** A provider whose endpoints are never reached: every token below is fresh for an hour. */
export const acme = oauth2({
  id: 'acme',
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'http://localhost/cb',
  authorizeUrl: 'http://127.0.0.1:9/authorize',
  tokenUrl: 'http://127.0.0.1:9/token',
});

/**
 * A token service over a {@link ReadCountingStore} and one logged-in session. The login is made by
 * `loginService`; `service` is another instance over the same store (as a second app instance, or
 * this one after a restart), so nothing it does is answered from a per-process memo.
 */
export async function loggedIn(): Promise<{
  store: ReadCountingStore;
  service: TokenService;
  loginService: TokenService;
  session: SessionRecord;
}> {
  const store = new ReadCountingStore(undefined, { sweepIntervalMs: 0 });
  const instance = () =>
    new TokenService({
      store,
      lock: new MemoryTokenLock(),
      engine: new AuthCodeEngine({ timeoutMs: 1000 }),
      registry: new ProviderRegistry([acme]),
    });
  const [service, loginService] = [instance(), instance()];
  const session = await loginService.saveLogin(undefined, {
    provider: 'acme',
    profile: { provider: 'acme', id: 'u1' },
    tokenSet: { accessToken: 'at-1', tokenType: 'Bearer', expiresAt: Date.now() + 3600_000 },
  });
  store.reads.length = 0;
  return { store, service, loginService, session };
}
