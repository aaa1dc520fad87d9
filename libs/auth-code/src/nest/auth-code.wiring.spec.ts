import type { FactoryProvider } from '@nestjs/common';
import { KeyRing } from '../tokens/crypto/key-ring';
import { MemoryTokenLock } from '../tokens/stores/memory-token.lock';
import { MemoryTokenStore } from '../tokens/stores/memory-token.store';
import { RedisTokenLock } from '../tokens/stores/redis-token.lock';
import { RedisTokenStore } from '../tokens/stores/redis-token.store';
import { TokenLock, TokenStore } from '../tokens/stores/token-store.interface';
import { AUTH_CODE_WIRING } from './auth-code.wiring';
import type { ResolvedAuthCodeOptions } from './options/auth-code.options';

function factoryOf<T>(token: symbol): (...deps: unknown[]) => T {
  const provider = AUTH_CODE_WIRING.find(
    (p): p is FactoryProvider => typeof p === 'object' && 'provide' in p && p.provide === token,
  );
  return provider!.useFactory as (...deps: unknown[]) => T;
}

const makeStore = factoryOf<TokenStore>(TokenStore);
const makeLock = factoryOf<TokenLock>(TokenLock);
const options = (o: Partial<ResolvedAuthCodeOptions>) => o as ResolvedAuthCodeOptions;

describe('AUTH_CODE_WIRING store and lock wiring', () => {
  const opened: Array<{ close(): unknown }> = [];
  afterAll(async () => {
    for (const part of opened) await part.close();
  });

  it('gives the Redis lock the Redis store’s own connection, closed once through the store', async () => {
    const o = options({ store: 'redis://127.0.0.1:6379', storeKeyPrefix: 'wiring-test:' });
    const store = makeStore(o, KeyRing.ephemeral()) as RedisTokenStore;
    const lock = makeLock(o, store) as RedisTokenLock;
    opened.push(lock, store);
    expect(store).toBeInstanceOf(RedisTokenStore);
    expect(lock).toBeInstanceOf(RedisTokenLock);
    expect(lock.client).toBe(store.client);
    expect(store.client.listenerCount('error')).toBe(1);

    await lock.close();
    const owner = await lock.acquire('k', 1000);
    expect(owner).toEqual(expect.any(String));
    await lock.release('k', owner!);
    const ended = new Promise((resolve) => store.client.once('end', resolve));
    await store.close();
    await ended;
    expect(store.client.status).toBe('end');
  });

  it('uses a memory lock with the memory store, and a given lock as it is', () => {
    const store = makeStore(options({}), KeyRing.ephemeral());
    expect(store).toBeInstanceOf(MemoryTokenStore);
    expect(makeLock(options({}), store)).toBeInstanceOf(MemoryTokenLock);
    const own = new MemoryTokenLock();
    expect(makeLock(options({ lock: own }), store)).toBe(own);
    (store as MemoryTokenStore).close();
  });
});
