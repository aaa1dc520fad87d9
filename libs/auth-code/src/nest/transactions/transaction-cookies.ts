import type { CookieSigner } from '../http/cookie-signer';
import { readCookie, serializeCookie } from '../http/cookies';

/** Options of {@link TransactionCookies}. */
export interface TransactionCookieOptions {
  /** Secure attribute and the `__Host-` prefix (https). */
  secure: boolean;
  /** Lifetime of a login attempt, seconds. */
  ttlSeconds: number;
  /** Most pending-login cookies one browser holds; starting one more expires the oldest. */
  maxPerBrowser: number;
}

/** What {@link TransactionCookies.read} found for a state. */
export interface ReadBinding {
  /** The browser binding, when a cookie for the state verified under a configured secret. */
  binding?: string;
  /** Names of the state's cookies the browser sent (one per secret it was written under). */
  present: string[];
}

/** Most cookies one answer expires (a hostile header may name thousands; later answers go on). */
const MAX_EXPIRED_PER_ANSWER = 64;

/** Values written before the issue time was added: `binding.signature`. */
const ISSUED_AT = /^\d{1,16}$/;

/**
 * The binding cookies of pending logins, one per attempt so that tabs never overwrite each other.
 * Name: a keyed digest of the state (reveals nothing, found under any configured secret after a
 * rotation). Value: `binding.issuedAt`, signed; the issue time lets a new login expire the oldest
 * cookies, so a browser holds at most `maxPerBrowser` of them and its `Cookie` header stays small
 * (about 190 pending cookies would pass Node's 16 KB header limit and lock the browser out: 431).
 */
export class TransactionCookies {
  /** Every transaction cookie's name starts with this. */
  readonly prefix: string;

  constructor(
    private readonly signer: CookieSigner,
    private readonly options: TransactionCookieOptions,
  ) {
    this.prefix = `${options.secure ? '__Host-' : ''}auth_tx_`;
  }

  /** The name a new cookie for `state` gets (digest under the signing secret). */
  name(state: string): string {
    return this.prefix + this.signer.digest(state);
  }

  /** The names a cookie for `state` may have: one per configured secret, the signing one first. */
  names(state: string): string[] {
    return [...new Set(this.signer.digests(state).map((d) => this.prefix + d))];
  }

  /** `Set-Cookie` of the binding cookie for a new attempt. */
  issue(state: string, binding: string, now: number): string {
    return this.serialize(
      this.name(state),
      this.signer.sign(`${binding}.${now}`),
      this.options.ttlSeconds,
    );
  }

  /** `Set-Cookie` that deletes a cookie. */
  clear(name: string): string {
    return this.serialize(name, '', 0);
  }

  /** Reads and verifies the cookie of `state`, under whichever secret's name the browser has it. */
  read(cookieHeader: string | undefined, state: string): ReadBinding {
    const present: string[] = [];
    let binding: string | undefined;
    for (const name of this.names(state)) {
      const raw = readCookie(cookieHeader, name);
      if (raw === undefined) continue;
      present.push(name);
      const value = binding === undefined ? this.signer.unsign(raw) : undefined;
      if (value !== undefined) binding = value.split('.')[0];
    }
    return { binding, present };
  }

  /**
   * Names of the browser's oldest pending-login cookies to expire so that, with the one about to
   * be added, it holds at most `maxPerBrowser` (at most 64 per answer). Linear in the header; no
   * signature is checked (dropping a forged cookie harms no one); a value without an issue time
   * (written by an older version) counts as oldest.
   */
  oldest(cookieHeader: string | undefined): string[] {
    if (!cookieHeader) return [];
    const pending = new Map<string, number>();
    for (const pair of cookieHeader.split(';')) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq === -1 ? undefined : eq).trim();
      if (eq === -1 || !name.startsWith(this.prefix) || pending.has(name)) continue;
      const parts = pair
        .slice(eq + 1)
        .trim()
        .split('.', 4);
      const at = parts.length === 3 && ISSUED_AT.test(parts[1]) ? Number(parts[1]) : 0;
      pending.set(name, at);
    }
    const keep = Math.max(0, this.options.maxPerBrowser - 1);
    if (pending.size <= keep) return [];
    const oldestFirst = [...pending].sort((a, b) => a[1] - b[1]);
    const excess = Math.min(pending.size - keep, MAX_EXPIRED_PER_ANSWER);
    return oldestFirst.slice(0, excess).map(([name]) => name);
  }

  private serialize(name: string, value: string, maxAge: number): string {
    return serializeCookie(name, value, {
      maxAge,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.options.secure,
    });
  }
}
