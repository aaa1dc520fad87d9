import { KeyRing, MemoryTokenLock, MemoryTokenStore } from 'nestjs-auth-code';
import {
  keptLines,
  sha,
  type RecordRef,
  type StoreHarness,
  type StoreInstance,
} from './store-harness';

/** One of the memory store's record maps (a `BoundedTtlMap`, private; read here as raw storage). */
interface RecordMap {
  slots: Map<string, { value: unknown; expiresAt: number }>;
  set(key: string, value: unknown, ttlMs: number): void;
}

/** What the memory store really holds. */
interface MemoryInternals {
  sessions: RecordMap;
  grants: RecordMap;
  transactions: RecordMap;
}

/** The memory store: one instance per process, so {@link StoreHarness.open} returns that one. */
export class MemoryHarness implements StoreHarness {
  readonly name = 'memory';
  readonly shared = false;
  readonly sealsSessions = false;
  readonly log = keptLines();
  private instance?: StoreInstance & { store: MemoryTokenStore };

  async start(): Promise<void> {}

  open(cipher: KeyRing): StoreInstance {
    this.instance ??= {
      store: new MemoryTokenStore(cipher, { logger: this.log, sweepIntervalMs: 0 }),
      lock: new MemoryTokenLock(),
    };
    return this.instance;
  }

  private get maps(): MemoryInternals {
    return this.instance!.store as unknown as MemoryInternals;
  }

  private mapOf(ref: RecordRef): { map: RecordMap; key: string } {
    const d = sha(ref.sessionId);
    return ref.kind === 'session'
      ? { map: this.maps.sessions, key: `session:{${d}}` }
      : { map: this.maps.grants, key: `grant:{${d}}:${ref.provider}` };
  }

  async dump(): Promise<string> {
    const { sessions, grants, transactions } = this.maps;
    return [sessions, grants, transactions]
      .flatMap((map) => [...map.slots].map(([k, slot]) => `${k}=${JSON.stringify(slot.value)}`))
      .join('\n');
  }

  async readSealed(ref: RecordRef): Promise<string | undefined> {
    const { map, key } = this.mapOf(ref);
    const value = map.slots.get(key)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async writeSealed(ref: RecordRef, sealed: string): Promise<void> {
    const { map, key } = this.mapOf(ref);
    const slot = map.slots.get(key);
    // planting a record under a key that holds none (a record copied from another session)
    if (slot) slot.value = sealed;
    else map.set(key, sealed, 60_000);
  }

  async stop(): Promise<void> {
    this.instance?.store.close();
  }
}
