import { digest } from './store-keys';

/**
 * Tells the instances sharing a store that a grant was written, so that callers waiting for
 * another instance's refresh wake at once instead of polling the store. A notifier is only ever a
 * shortcut: when it is down (or a message is lost), a wait ends with its timeout and the caller
 * reads the store as it would have anyway. Messages carry {@link grantSignal}, a digest of the
 * owner id and the provider, never the owner id itself (a session id is a bearer secret).
 */
export interface StoreNotifier {
  /**
   * Announces that the grant of (`ownerId`, `provider`) was written or deleted. May fail (the
   * channel is down): callers log and go on, the waiters then fall back to polling.
   */
  grantWritten(ownerId: string, provider: string): Promise<void>;
  /**
   * Resolves `true` as soon as the grant of (`ownerId`, `provider`) is announced, here or on
   * another instance, or `false` after `timeoutMs` (also when the channel is down or the notifier
   * closed). Never rejects.
   */
  waitForGrant(ownerId: string, provider: string, timeoutMs: number): Promise<boolean>;
  /** Stops listening and releases its connection; pending waits resolve `false`. */
  close(): Promise<void>;
}

/** Injection token of the {@link StoreNotifier}. */
export const StoreNotifier = Symbol('AUTH_CODE:STORE_NOTIFIER');

/**
 * The name of a grant on a notification channel: SHA-256 (base64url) of the owner id and the
 * provider, so whoever can read the channel learns no session id.
 */
export function grantSignal(ownerId: string, provider: string): string {
  return digest(`${ownerId}\0${provider}`);
}
