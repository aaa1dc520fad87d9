import type { HttpClient } from './http-client';

/** Most servers whose nonce is remembered; the oldest is forgotten first. */
const MAX_SERVERS = 256;
/** RFC 9449 8.1: `nonce = 1*NQCHAR`, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
const NONCE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_NONCE = 512;

/**
 * The latest `DPoP-Nonce` each server (origin) gave this process, so the next proof carries it
 * (RFC 9449 8 and 9): one fewer `use_dpop_nonce` round trip per call. Nonces are not secret and
 * any instance gets its own on its first refusal.
 */
export class DpopNonces {
  private readonly byOrigin = new Map<string, string>();

  /** The nonce to put in a proof for `url`, when the server gave one. */
  get(url: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin);
  }

  /** Remembers what the server of `url` gave; ignores anything that is not a nonce. */
  set(url: string, nonce: string | undefined): void {
    if (nonce === undefined || nonce.length > MAX_NONCE || !NONCE.test(nonce)) return;
    const origin = new URL(url).origin;
    this.byOrigin.delete(origin);
    if (this.byOrigin.size >= MAX_SERVERS) {
      this.byOrigin.delete(this.byOrigin.keys().next().value as string);
    }
    this.byOrigin.set(origin, nonce);
  }
}

const perClient = new WeakMap<HttpClient, DpopNonces>();

/** The nonces of one HTTP client: every call through it shares them. */
export function dpopNoncesOf(http: HttpClient): DpopNonces {
  let nonces = perClient.get(http);
  if (!nonces) perClient.set(http, (nonces = new DpopNonces()));
  return nonces;
}
