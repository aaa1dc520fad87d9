import type { Cipher } from '../tokens/crypto/cipher';
import type { TokenLogger } from '../core/token-logger';
import { openRecord, sealRecord } from './record-codec';

/** Most grants one `claimDueGrants` call of a shared store hands out (one bounded script/statement). */
export const MAX_UPKEEP_CLAIM = 1000;

/**
 * The upkeep index entry of one grant, shared by the Redis and PostgreSQL stores. An entry is
 * named by the owner's digest and the provider (never the owner id: a session id is a bearer
 * secret); the owner id itself, which `claimDueGrants` must hand back, is stored next to it as
 * key-ring ciphertext bound to that name, so an owner copied to another entry does not open there.
 */
export const UpkeepEntry = {
  /** The entry's name: `<owner digest>:<provider>` (a digest is base64url: it has no `:`). */
  name: (ownerDigest: string, provider: string) => `${ownerDigest}:${provider}`,
  /** The owner digest and provider of an entry name. */
  parse(name: string): { ownerDigest: string; provider: string } {
    const at = name.indexOf(':');
    return { ownerDigest: name.slice(0, at), provider: name.slice(at + 1) };
  },
  /** The owner id, encrypted and bound to the entry's name. */
  sealOwner: (cipher: Cipher, name: string, ownerId: string) =>
    sealRecord(cipher, `upkeep:${name}`, ownerId),
  /** The owner id of an entry, or undefined (logged) when it does not open. */
  openOwner(cipher: Cipher, name: string, sealed: string, logger: TokenLogger): string | undefined {
    const owner = openRecord<unknown>(cipher, `upkeep:${name}`, sealed, logger);
    return typeof owner === 'string' ? owner : undefined;
  },
  /** How many to claim: `limit` as a whole number within 0‥{@link MAX_UPKEEP_CLAIM}. */
  claimCount: (limit: number) =>
    Number.isNaN(limit) ? 0 : Math.min(Math.max(Math.floor(limit), 0), MAX_UPKEEP_CLAIM),
  /** An `upkeepAt` to index (finite epoch ms), or undefined for none. */
  dueAt: (upkeepAt: number | undefined) =>
    upkeepAt !== undefined && Number.isFinite(upkeepAt) ? upkeepAt : undefined,
} as const;
