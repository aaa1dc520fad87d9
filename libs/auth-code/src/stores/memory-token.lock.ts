import { randomUUID } from 'node:crypto';
import { BoundedTtlMap } from './bounded-ttl-map';
import type { TokenLock } from './token-store.interface';

/** Options of {@link MemoryTokenLock}. */
export interface MemoryTokenLockOptions {
  /** Most locks held at once; past it the oldest is dropped (it would be stale anyway). @default 10000 */
  maxLocks?: number;
  /** Clock, epoch ms (tests). @default Date.now */
  now?: () => number;
}

/**
 * A {@link TokenLock} for one process: a lock expires after its TTL even when never released, and
 * only its owner can release it.
 */
export class MemoryTokenLock implements TokenLock {
  private readonly locks: BoundedTtlMap<string, string>;
  private readonly maxLocks: number;

  constructor(options: MemoryTokenLockOptions = {}) {
    this.maxLocks = options.maxLocks ?? 10_000;
    this.locks = new BoundedTtlMap<string, string>({
      maxEntries: this.maxLocks,
      now: options.now ?? Date.now,
    });
  }

  /** Locks currently held, expired ones not yet swept included. */
  get size(): number {
    return this.locks.size;
  }

  async acquire(key: string, ttlMs: number): Promise<string | undefined> {
    if (this.locks.get(key) !== undefined) return undefined;
    // Expired locks go first, so the size bound only ever drops a live lock under real overload.
    if (this.locks.size >= this.maxLocks) this.locks.sweep();
    const owner = randomUUID();
    this.locks.set(key, owner, ttlMs);
    return owner;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.locks.get(key) === owner) this.locks.delete(key);
  }
}
