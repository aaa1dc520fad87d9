import { BoundedTtlMap } from './bounded-ttl-map';
import { StoreKeys } from './store-keys';

/**
 * The memory store's session index and replay memory (back-channel logout): for each lookup key
 * (by digest), the digests of the sessions indexed under it with their expiry; and the keys
 * recorded once. Both are bounded, and an index entry forgets its expired sessions whenever it
 * is written.
 */
export class MemorySessionIndex {
  private readonly entries: BoundedTtlMap<string, Map<string, number>>;
  private readonly claims: BoundedTtlMap<string, true>;

  constructor(
    maxEntries: number,
    private readonly now: () => number,
  ) {
    this.entries = new BoundedTtlMap({ maxEntries, now });
    this.claims = new BoundedTtlMap({ maxEntries, now });
  }

  /** Indexes the session with digest `session` under every key, until `ttlMs` from now. */
  add(session: string, keys: string[], ttlMs: number): void {
    const now = this.now();
    for (const key of keys) {
      const name = StoreKeys.sessionIndex(key);
      const sessions = this.entries.get(name) ?? new Map<string, number>();
      for (const [d, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(d);
      sessions.set(session, now + ttlMs);
      const longest = Math.max(...sessions.values()) - now;
      this.entries.set(name, sessions, longest);
    }
  }

  /** Removes the index entry of `key`; returns the digests of its live sessions. */
  take(key: string): string[] {
    const name = StoreKeys.sessionIndex(key);
    const sessions = this.entries.get(name);
    this.entries.delete(name);
    const now = this.now();
    return [...(sessions ?? [])].filter(([, expiresAt]) => expiresAt > now).map(([d]) => d);
  }

  /** True the first time `key` is claimed within `ttlMs`. */
  claimOnce(key: string, ttlMs: number): boolean {
    const name = StoreKeys.claimed(key);
    if (this.claims.get(name)) return false;
    this.claims.set(name, true, ttlMs);
    return true;
  }

  /** Removes expired entries; returns how many. */
  sweep(): number {
    return this.entries.sweep() + this.claims.sweep();
  }

  /** Entries held: index keys and claimed keys. */
  get size(): number {
    return this.entries.size + this.claims.size;
  }
}
