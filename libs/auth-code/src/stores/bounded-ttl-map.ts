/** One entry of a {@link BoundedTtlMap}. */
interface Slot<V> {
  value: V;
  expiresAt: number;
}

/** Options of {@link BoundedTtlMap}. */
export interface BoundedTtlMapOptions<K> {
  /** Most entries kept; writing past it evicts the least recently written. */
  maxEntries: number;
  /** Clock, epoch ms. */
  now: () => number;
  /** Called for every entry that leaves the map (expired, evicted or deleted). */
  onRemove?: (key: K) => void;
}

/**
 * A Map with per-entry TTL and a size bound. Expired entries are invisible at once and removed by
 * {@link BoundedTtlMap.sweep} or when read; insertion order is write order, so the first entry is
 * always the one to evict.
 */
export class BoundedTtlMap<K, V> {
  private readonly slots = new Map<K, Slot<V>>();

  constructor(private readonly options: BoundedTtlMapOptions<K>) {}

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.slots.size;
  }

  /** The live value, or undefined (an expired entry is removed on the way). */
  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.options.now()) {
      this.delete(key);
      return undefined;
    }
    return slot.value;
  }

  /** Writes a value for `ttlMs`, evicting the oldest entries beyond the bound. */
  set(key: K, value: V, ttlMs: number): void {
    this.slots.delete(key);
    this.slots.set(key, { value, expiresAt: this.options.now() + ttlMs });
    while (this.slots.size > this.options.maxEntries) {
      const oldest = this.slots.keys().next().value as K;
      this.delete(oldest);
    }
  }

  /** Removes an entry; returns whether it existed (expired or not). */
  delete(key: K): boolean {
    const existed = this.slots.delete(key);
    if (existed) this.options.onRemove?.(key);
    return existed;
  }

  /** Removes every expired entry; returns how many. */
  sweep(): number {
    const now = this.options.now();
    let removed = 0;
    for (const [key, slot] of this.slots) {
      if (slot.expiresAt <= now && this.delete(key)) removed++;
    }
    return removed;
  }
}
