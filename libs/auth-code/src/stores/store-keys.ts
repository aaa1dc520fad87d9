import { createHash } from 'node:crypto';

/** The key names derived from one session id (one SHA-256, reused by every key of the session). */
interface SessionKeyNames {
  digest: string;
  session: string;
  grantPrefix: string;
  grantIndex: string;
}

/** Most session ids whose key names are remembered; the oldest is forgotten first. */
const MAX_REMEMBERED_SESSIONS = 10_000;

// Every authenticated request names its session's keys once or twice (SessionGuard, then
// TokenRefreshInterceptor), always for a few live sessions: a SHA-256 per key is a few µs a
// request. The names are remembered per id, bounded, and forgotten when the session is deleted.
const remembered = new Map<string, SessionKeyNames>();

function sessionKeys(id: string): SessionKeyNames {
  let names = remembered.get(id);
  if (names === undefined) {
    const d = digest(id);
    names = {
      digest: d,
      session: `session:{${d}}`,
      grantPrefix: `grant:{${d}}:`,
      grantIndex: `grants:{${d}}`,
    };
    if (remembered.size >= MAX_REMEMBERED_SESSIONS) {
      remembered.delete(remembered.keys().next().value as string);
    }
    remembered.set(id, names);
  }
  return names;
}

/**
 * Storage key names. Session ids and `state` values are bearer secrets, so keys carry their SHA-256
 * (base64url) instead: someone who can list the store's keys learns no usable session id. The
 * digest is a Redis hash tag (`{...}`), so a session's keys share one cluster slot.
 */
export const StoreKeys = {
  /** Key of a session record. */
  session: (id: string) => sessionKeys(id).session,
  /** Common start of the keys of a session's grants; the provider id follows. */
  grantPrefix: (sessionId: string) => sessionKeys(sessionId).grantPrefix,
  /** Key of one provider grant of a session. */
  grant: (sessionId: string, provider: string) =>
    `${sessionKeys(sessionId).grantPrefix}${provider}`,
  /** Key of the set of providers a session holds grants for (Redis). */
  grantIndex: (sessionId: string) => sessionKeys(sessionId).grantIndex,
  /** The digest naming a session's records (their hash tag; the row key in SQL stores). */
  sessionDigest: (id: string) => sessionKeys(id).digest,
  /** Key of the lock held while refreshing one provider grant of a session (its hash tag too). */
  refreshLock: (sessionId: string, provider: string) =>
    `refresh:{${sessionKeys(sessionId).digest}}:${provider}`,
  /** Key of a session record, from its digest (a session found through an index). */
  sessionOfDigest: (d: string) => `session:{${d}}`,
  /** Common start of a session's grant keys, from its digest. */
  grantPrefixOfDigest: (d: string) => `grant:{${d}}:`,
  /** Key of a session's grant index, from its digest. */
  grantIndexOfDigest: (d: string) => `grants:{${d}}`,
  /**
   * Key of the sessions indexed under a lookup key (its digest only: a lookup key names a user);
   * its own hash tag, since the sessions it lists live in other slots.
   */
  sessionIndex: (key: string) => `index:{${digest(key)}}`,
  /** Key of a value recorded once (replay memory), by digest. */
  claimed: (key: string) => `seen:{${digest(key)}}`,
  /** Key of a login transaction (states are used once: not remembered). */
  transaction: (state: string) => `tx:${digest(state)}`,
  /** Forgets the remembered key names of a deleted session. */
  forgetSession: (id: string) => void remembered.delete(id),
} as const;

/** SHA-256 of a value, base64url: the stable, non-reversible name of a secret id. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
