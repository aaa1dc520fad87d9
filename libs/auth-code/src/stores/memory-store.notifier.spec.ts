import { MemoryStoreNotifier } from './memory-store.notifier';
import { grantSignal } from './store-notifier.interface';

describe('MemoryStoreNotifier (and the bounded waiter map under every notifier)', () => {
  it('wakes every wait for the announced grant, and only those', async () => {
    const notifier = new MemoryStoreNotifier();
    const a1 = notifier.waitForGrant('session-a', 'acme', 10_000);
    const a2 = notifier.waitForGrant('session-a', 'acme', 10_000);
    const other = notifier.waitForGrant('session-a', 'other', 100);
    await notifier.grantWritten('session-a', 'acme');
    expect(await Promise.all([a1, a2, other])).toEqual([true, true, false]);
    expect(notifier.waiting).toBe(0);
  });

  it('resolves false on timeout and forgets the wait', async () => {
    const notifier = new MemoryStoreNotifier();
    const wait = notifier.waitForGrant('session-a', 'acme', 20);
    expect(notifier.waiting).toBe(1);
    expect(await wait).toBe(false);
    expect(notifier.waiting).toBe(0);
    // an announcement after the timeout finds nobody and changes nothing
    await notifier.grantWritten('session-a', 'acme');
    expect(notifier.waiting).toBe(0);
  });

  it('holds at most maxWaiters waits; one more is a plain timeout', async () => {
    const notifier = new MemoryStoreNotifier({ maxWaiters: 1 });
    const first = notifier.waitForGrant('s1', 'acme', 10_000);
    const second = notifier.waitForGrant('s2', 'acme', 30);
    expect(notifier.waiting).toBe(1);
    await notifier.grantWritten('s2', 'acme');
    expect(await second).toBe(false);
    await notifier.grantWritten('s1', 'acme');
    expect(await first).toBe(true);
  });

  it('ends pending waits with false on close, and later waits only time out', async () => {
    const notifier = new MemoryStoreNotifier();
    const pending = notifier.waitForGrant('s1', 'acme', 10_000);
    await notifier.close();
    expect(await pending).toBe(false);
    const later = notifier.waitForGrant('s1', 'acme', 20);
    await notifier.grantWritten('s1', 'acme');
    expect(await later).toBe(false);
    expect(notifier.waiting).toBe(0);
  });

  it('names a grant by a digest of owner and provider, never by the owner id', () => {
    const signal = grantSignal('secret-session-id', 'acme');
    expect(signal).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signal).not.toContain('secret-session-id');
    expect(grantSignal('secret-session-id', 'other')).not.toBe(signal);
    // the separator keeps (owner, provider) pairs apart
    expect(grantSignal('ab', 'c')).not.toBe(grantSignal('a', 'bc'));
  });
});
