import type { ProviderRegistry } from '../core/provider-registry';
import type { TokenStore } from '../stores/token-store.interface';
import { HealthCache } from './health-cache';
import type { AuthCodeHealthDetail, AuthCodeHealthResult } from './health-result';
import { checkProviderHealth } from './provider-health';
import { checkStoreHealth } from './store-health';

/** Options of a health check. */
export interface AuthCodeHealthOptions {
  /** Longest one check may take; one that takes longer is `down` (`timeout`). @default 3000 */
  timeoutMs?: number;
  /**
   * How long a result is reused before the part is checked again: a part that fails is reported
   * `down` at the latest this long (plus `timeoutMs`) after it failed. `0` checks on every call;
   * overlapping calls share one check either way.
   * @default 5000
   */
  intervalMs?: number;
  /** Also probe each provider's discovery document and JWKS. @default true */
  providers?: boolean;
}

/** The key of the store's answer. */
export const STORE_HEALTH_KEY = 'auth-code-store';
/** The key of a provider's answer: `auth-code-provider-<id>`. */
export const providerHealthKey = (id: string): string => `auth-code-provider-${id}`;

/**
 * Health of what logins and refreshes depend on: the token store (one round trip) and each
 * provider's public discovery document and JWKS (OIDC providers, Tencent Cloud CIAM). Every answer
 * is bounded by a timeout and has the shape `@nestjs/terminus` 11 and 12 read.
 */
export class AuthCodeHealth {
  private readonly cache = new HealthCache<AuthCodeHealthDetail | undefined>();

  constructor(
    private readonly store: TokenStore,
    private readonly registry: Pick<ProviderRegistry, 'get' | 'ids'>,
  ) {}

  /**
   * The store under `auth-code-store` and every probed provider under
   * `auth-code-provider-<id>`; providers without probes are left out.
   */
  async isHealthy(options: AuthCodeHealthOptions = {}): Promise<AuthCodeHealthResult> {
    const ids = options.providers === false ? [] : this.registry.ids();
    const [store, ...providers] = await Promise.all([
      this.storeDetail(options),
      ...ids.map((id) => this.providerDetail(id, options)),
    ]);
    const result: AuthCodeHealthResult = { [STORE_HEALTH_KEY]: store };
    for (const [i, id] of ids.entries()) {
      const detail = providers[i];
      if (detail) result[providerHealthKey(id)] = detail;
    }
    return result;
  }

  /** The store round trip under `key`. */
  async checkStore(
    key = STORE_HEALTH_KEY,
    options: AuthCodeHealthOptions = {},
  ): Promise<AuthCodeHealthResult> {
    return { [key]: await this.storeDetail(options) };
  }

  /** `id`'s discovery and JWKS under `key` (`up`, with no probe, for a provider without any). */
  async checkProvider(
    id: string,
    key = providerHealthKey(id),
    options: AuthCodeHealthOptions = {},
  ): Promise<AuthCodeHealthResult> {
    return { [key]: (await this.providerDetail(id, options)) ?? { status: 'up', probed: false } };
  }

  private async storeDetail(options: AuthCodeHealthOptions): Promise<AuthCodeHealthDetail> {
    const { timeoutMs, intervalMs } = defaults(options);
    const detail = await this.cache.get('store', intervalMs, () =>
      checkStoreHealth(this.store, timeoutMs),
    );
    return detail!;
  }

  private providerDetail(
    id: string,
    options: AuthCodeHealthOptions,
  ): Promise<AuthCodeHealthDetail | undefined> {
    const { timeoutMs, intervalMs } = defaults(options);
    return this.cache.get(`provider\0${id}`, intervalMs, () =>
      checkProviderHealth(this.registry, id, timeoutMs),
    );
  }
}

function defaults(o: AuthCodeHealthOptions): { timeoutMs: number; intervalMs: number } {
  return { timeoutMs: o.timeoutMs ?? 3000, intervalMs: o.intervalMs ?? 5000 };
}
