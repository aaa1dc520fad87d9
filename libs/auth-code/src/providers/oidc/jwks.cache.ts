import type { JWK } from 'jose';
import type { HttpClient } from '../../engine/http-client';
import { UnexpectedResponseError } from '../../errors/auth-code.errors';
import { Messages } from '../../errors/error-messages';
import { redactBody } from '../../core/redact';

/** Options of {@link JwksCache}. */
export interface JwksCacheOptions {
  /** Provider id, for error messages. */
  providerId: string;
  /** The `jwks_uri`. */
  uri: string;
  /** The client every fetch goes through (timeout). */
  http: HttpClient;
  /** How long a fetched key set is used before it is fetched again, in ms. @default 600000 (10 min) */
  ttlMs?: number;
}

/**
 * The provider's signing keys, fetched through {@link HttpClient} and cached. Concurrent callers
 * share one fetch. Accepts Tencent CIAM's `"Keys"` spelling as well as RFC 7517's `"keys"`.
 */
export class JwksCache {
  private keys?: JWK[];
  private fetchedAt = 0;
  private inFlight?: Promise<JWK[]>;

  constructor(private readonly options: JwksCacheOptions) {}

  /** The `jwks_uri` this cache reads. */
  get uri(): string {
    return this.options.uri;
  }

  /** The cached keys, fetched when missing or older than the TTL. */
  async get(): Promise<JWK[]> {
    const fresh = Date.now() - this.fetchedAt < (this.options.ttlMs ?? 600_000);
    if (this.keys && fresh) return this.keys;
    return this.refresh();
  }

  /** Fetches the key set again (a signing key was rotated); concurrent calls share one fetch. */
  refresh(): Promise<JWK[]> {
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetch(): Promise<JWK[]> {
    const { providerId, uri, http } = this.options;
    const res = await http.send(
      { url: uri, method: 'GET', headers: { accept: 'application/json' } },
      providerId,
      'id_token',
    );
    const keys = res.status === 200 ? readKeys(res.text) : undefined;
    if (!keys) {
      throw new UnexpectedResponseError({
        code: res.status >= 500 ? 'server_error' : 'invalid_response',
        provider: providerId,
        operation: 'id_token',
        upstreamStatus: res.status,
        redactedBody: redactBody(res.text),
        message: Messages.jwksUnreadable(providerId, res.status),
      });
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
    return keys;
  }
}

function readKeys(text: string): JWK[] | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown> | null;
    // deviates from RFC 7517: Tencent CIAM's English documentation spells the member "Keys".
    const keys = body?.keys ?? body?.Keys;
    if (!Array.isArray(keys)) return undefined;
    return keys.filter((k): k is JWK => !!k && typeof k === 'object' && !Array.isArray(k));
  } catch {
    return undefined;
  }
}
