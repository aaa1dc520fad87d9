import { createHash, randomBytes } from 'node:crypto';
import type {
  KeyRing,
  LoginTransaction,
  SessionRecord,
  StoredGrant,
  TokenLock,
  TokenStore,
} from 'nestjs-auth-code';

/** A warning sink that keeps the lines. */
export interface KeptLines {
  lines: string[];
  warn(message: string): void;
}

/** A logger for a store under test. */
export function keptLines(): KeptLines {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

/** One app instance's view of a store: its own store and lock objects (own connections). */
export interface StoreInstance {
  store: TokenStore;
  lock: TokenLock;
}

/** Which stored record a raw operation works on. */
export type RecordRef =
  { kind: 'session'; sessionId: string } | { kind: 'grant'; sessionId: string; provider: string };

/**
 * One store kind for the contract suite: starts its backend, opens instances on it, and reads and
 * alters what is really stored (raw keys and rows, bypassing the store's code).
 */
export interface StoreHarness {
  /** Name shown by `describe.each`. */
  readonly name: string;
  /** Instances share data (every store but memory, which lives in one process). */
  readonly shared: boolean;
  /** Session records are ciphertext at rest (the memory store keeps them as frozen objects). */
  readonly sealsSessions: boolean;
  /** Receives the warnings of every instance this harness opens. */
  readonly log: KeptLines;
  /** Starts the backend (a database, a cluster…). */
  start(): Promise<void>;
  /**
   * Opens an instance encrypting with `cipher`. For shared stores each call is another instance
   * on the same data (own connection); the memory store has one instance per process, so every
   * call returns it (the cipher of the first call stays).
   */
  open(cipher: KeyRing): StoreInstance;
  /** Every stored key and value, as one text (raw storage). */
  dump(): Promise<string>;
  /** The stored ciphertext of a record, or undefined when nothing is stored. */
  readSealed(ref: RecordRef): Promise<string | undefined>;
  /** Overwrites the stored ciphertext of a record that exists. */
  writeSealed(ref: RecordRef, sealed: string): Promise<void>;
  /** Closes every instance it opened and stops the backend. */
  stop(): Promise<void>;
}

/** SHA-256 base64url, computed here independently of the library: the names keys must carry. */
export const sha = (v: string) => createHash('sha256').update(v).digest('base64url');

/** A fresh 256-bit id (session id or state). */
export const newId = () => randomBytes(32).toString('base64url');

/** The same ciphertext with one base64url character of its body changed. */
export function flipOneByte(sealed: string): string {
  const at = sealed.lastIndexOf('.') + 20;
  return sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
}

export const profile = { provider: 'acme', id: 'user-1', email: 'alice@example.test' };

/** A grant whose every token carries `accessToken`, so a dump can be searched for it. */
export const grantOf = (accessToken: string): Omit<StoredGrant, 'version' | 'updatedAt'> => ({
  tokenSet: {
    accessToken,
    refreshToken: `refresh-${accessToken}`,
    idToken: `idtoken-${accessToken}`,
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3600_000,
  },
  profile,
});

export const session = (id: string, providers = ['acme']): SessionRecord => ({
  id,
  user: profile,
  providers,
  createdAt: 1,
});

export const tx = (state: string): LoginTransaction => ({
  state,
  provider: 'acme',
  browserId: 'browser-1',
  codeVerifier: `verifier-${state}`,
  nonce: `nonce-${state}`,
  returnTo: '/',
  createdAt: 1,
});

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
