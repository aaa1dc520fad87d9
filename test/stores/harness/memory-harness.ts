import { KeyRing, MemoryTokenLock, MemoryTokenStore } from 'nestjs-auth-code';
import {
  keptLines,
  sha,
  type RecordRef,
  type StoreHarness,
  type StoreInstance,
} from './store-harness';

/** What the memory store really holds: its record map (private; read here as raw storage). */
interface MemoryInternals {
  records: {
    slots: Map<string, { value: unknown; expiresAt: number }>;
    set(key: string, value: unknown, ttlMs: number): void;
  };
}

const keyOf = (ref: RecordRef) =>
  ref.kind === 'session'
    ? `session:{${sha(ref.sessionId)}}`
    : `grant:{${sha(ref.sessionId)}}:${ref.provider}`;

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

  private get records() {
    return (this.instance!.store as unknown as MemoryInternals).records;
  }

  private get slots() {
    return this.records.slots;
  }

  async dump(): Promise<string> {
    return [...this.slots].map(([k, slot]) => `${k}=${JSON.stringify(slot.value)}`).join('\n');
  }

  async readSealed(ref: RecordRef): Promise<string | undefined> {
    const value = this.slots.get(keyOf(ref))?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async writeSealed(ref: RecordRef, sealed: string): Promise<void> {
    const slot = this.slots.get(keyOf(ref));
    // planting a record under a key that holds none (a record copied from another session)
    if (slot) slot.value = sealed;
    else this.records.set(keyOf(ref), sealed, 60_000);
  }

  async stop(): Promise<void> {
    this.instance?.store.close();
  }
}
