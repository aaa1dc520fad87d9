import { createHash } from 'node:crypto';

/**
 * Storage key names. Session ids and `state` values are bearer secrets, so keys carry their SHA-256
 * (base64url) instead: someone who can list the store's keys learns no usable session id. The
 * digest is a Redis hash tag (`{...}`), so a session's keys share one cluster slot.
 */
export const StoreKeys = {
  /** Key of a session record. */
  session: (id: string) => `session:{${digest(id)}}`,
  /** Common start of the keys of a session's grants; the provider id follows. */
  grantPrefix: (sessionId: string) => `grant:{${digest(sessionId)}}:`,
  /** Key of one provider grant of a session. */
  grant: (sessionId: string, provider: string) => `${StoreKeys.grantPrefix(sessionId)}${provider}`,
  /** Key of the set of providers a session holds grants for (Redis). */
  grantIndex: (sessionId: string) => `grants:{${digest(sessionId)}}`,
  /** Key of a login transaction. */
  transaction: (state: string) => `tx:${digest(state)}`,
} as const;

/** SHA-256 of a value, base64url: the stable, non-reversible name of a secret id. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
