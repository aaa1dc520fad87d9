/**
 * When each (session, provider)'s access token expires, as this process last read or wrote it —
 * an expiry time, never a token. It lets `TokenService.ensureFresh` (what the refresh interceptor
 * runs before every handler) skip the store read and the decryption of a grant that is known to
 * be fresh. Safe across instances: a refresh elsewhere only makes the token live longer, and a
 * grant dropped elsewhere is still refused by the handler's own token read. Bounded; stale
 * entries are forgotten when read.
 */
export class FreshnessMemo {
  private readonly expiries = new Map<string, number>();

  /** @param maxEntries most entries kept (oldest out first). @default 10000 */
  constructor(private readonly maxEntries = 10_000) {}

  /** The remembered expiry, epoch ms. */
  get(sessionId: string, provider: string): number | undefined {
    return this.expiries.get(key(sessionId, provider));
  }

  /** Remembers an expiry. */
  set(sessionId: string, provider: string, expiresAt: number): void {
    const k = key(sessionId, provider);
    this.expiries.delete(k);
    if (this.expiries.size >= this.maxEntries)
      this.expiries.delete(this.expiries.keys().next().value as string);
    this.expiries.set(k, expiresAt);
  }

  /** Forgets one grant (revoked, dropped), or every grant of a session (logout). */
  forget(sessionId: string, providers: readonly string[]): void {
    for (const p of providers) this.expiries.delete(key(sessionId, p));
  }

  /** Entries held. */
  get size(): number {
    return this.expiries.size;
  }
}

function key(sessionId: string, provider: string): string {
  return `${sessionId}\0${provider}`;
}
