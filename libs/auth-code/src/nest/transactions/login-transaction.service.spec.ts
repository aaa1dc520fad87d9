import type { ProviderDefinition } from '../../core/provider-definition';
import { StateError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { MemoryTokenStore } from '../../stores/memory-token.store';
import type {
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenStore,
} from '../../stores/token-store.interface';
import { CookieSigner } from '../http/cookie-signer';
import { LoginTransactionService, type TransactionHttp } from './login-transaction.service';

/**
 * A store that keeps login transactions past their TTL (as a misconfigured or clock-skewed store
 * may): the service's own `createdAt` check is then the only thing that ends an attempt. `age`
 * makes a kept record as old as if `ms` had passed. Sessions and grants go to a memory store.
 */
class LingeringStore implements TokenStore {
  private readonly inner = new MemoryTokenStore(undefined, { sweepIntervalMs: 0 });
  private readonly transactions = new Map<string, LoginTransaction>();

  age(state: string, ms: number): void {
    const tx = this.transactions.get(state)!;
    this.transactions.set(state, { ...tx, createdAt: tx.createdAt - ms });
  }

  async putTransaction(tx: LoginTransaction): Promise<void> {
    this.transactions.set(tx.state, { ...tx }); // the TTL is ignored on purpose
  }
  async takeTransaction(state: string): Promise<LoginTransaction | undefined> {
    const tx = this.transactions.get(state);
    this.transactions.delete(state);
    return tx;
  }
  getSession(id: string): Promise<SessionRecord | undefined> {
    return this.inner.getSession(id);
  }
  setSession(session: SessionRecord, ttlMs: number): Promise<void> {
    return this.inner.setSession(session, ttlMs);
  }
  deleteSession(id: string): Promise<void> {
    return this.inner.deleteSession(id);
  }
  getGrant(sessionId: string, provider: string): Promise<StoredGrant | undefined> {
    return this.inner.getGrant(sessionId, provider);
  }
  compareAndSetGrant(
    ...args: Parameters<TokenStore['compareAndSetGrant']>
  ): Promise<StoredGrant | undefined> {
    return this.inner.compareAndSetGrant(...args);
  }
  deleteGrant(sessionId: string, provider: string): Promise<void> {
    return this.inner.deleteGrant(sessionId, provider);
  }
}

/** One browser: its cookie jar, and the request/response pair the service reads and writes. */
class FakeBrowser {
  readonly jar = new Map<string, string>();

  /** A request carrying the jar's cookies; `Set-Cookie` lines of the answer land in the jar. */
  http(cookieHeader = this.cookieHeader()): TransactionHttp {
    const headers = new Map<string, unknown>();
    return {
      cookieHeader,
      res: {
        getHeader: (name) => headers.get(name),
        setHeader: (name, value) => {
          headers.set(name, value);
          for (const line of value) {
            const [pair] = line.split(';');
            const eq = pair.indexOf('=');
            const [k, v] = [pair.slice(0, eq), pair.slice(eq + 1)];
            if (v) this.jar.set(k, v);
            else this.jar.delete(k);
          }
        },
      },
    };
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const def = { id: 'acme', pkce: true } as ProviderDefinition;
const TTL_SECONDS = 600;

describe('LoginTransactionService', () => {
  const signer = new CookieSigner('a-session-secret-of-enough-length-0123456789');
  let store: LingeringStore;
  let service: LoginTransactionService;

  beforeEach(() => {
    store = new LingeringStore();
    service = new LoginTransactionService(store, signer, {
      ttlSeconds: TTL_SECONDS,
      secure: false,
      baseUrl: 'http://localhost:3000',
    });
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  describe('refuses an attempt older than its lifetime even when the store still has it', () => {
    it('completes an attempt just inside the lifetime (the control)', async () => {
      const browser = new FakeBrowser();
      const { state } = await service.begin(browser.http(), def, '/');
      store.age(state, (TTL_SECONDS - 5) * 1000);
      await expect(service.complete(browser.http(), 'acme', state)).resolves.toMatchObject({
        state,
        provider: 'acme',
      });
    });

    it('refuses the same attempt once it is past the lifetime', async () => {
      const browser = new FakeBrowser();
      const { state } = await service.begin(browser.http(), def, '/');
      store.age(state, (TTL_SECONDS + 5) * 1000);
      const error = await refusal(service.complete(browser.http(), 'acme', state));
      expect(error).toBeInstanceOf(StateError);
      expect(error).toMatchObject({ code: 'invalid_state', message: Messages.stateUnknown() });
    });
  });

  describe('compares the stored browser binding with the cookie', () => {
    it("refuses a validly signed binding cookie of another browser under the victim's name", async () => {
      const victim = new FakeBrowser();
      const attacker = new FakeBrowser();
      const { state } = await service.begin(victim.http(), def, '/');
      const { state: own } = await service.begin(attacker.http(), def, '/');
      const attackerValue = attacker.jar.get(service.cookieName(own))!;
      expect(signer.unsign(attackerValue)).toEqual(expect.any(String)); // a genuine signature
      const forged = `${service.cookieName(state)}=${attackerValue}`;
      const error = await refusal(service.complete(attacker.http(forged), 'acme', state));
      expect(error).toBeInstanceOf(StateError);
      expect(error).toMatchObject({ message: Messages.stateOtherBrowser('http://localhost:3000') });
    });

    it('completes with the browser that began it (the control)', async () => {
      const victim = new FakeBrowser();
      const { state } = await service.begin(victim.http(), def, '/');
      await expect(service.complete(victim.http(), 'acme', state)).resolves.toMatchObject({
        state,
      });
    });
  });
});
