import type { ProviderRegistry } from '../core/provider-registry';
import { ConfigurationError, LogoutTokenError } from '../errors/auth-code.errors';
import { Messages } from '../errors/error-messages';
import type { TokenStore } from '../stores/token-store.interface';
import { LogoutLookupKeys } from './logout-lookup-keys';

/** Longest logout token read (an id_token's limit). */
const MAX_LOGOUT_TOKEN = 16 * 1024;
/** Default replay window when a definition names none, seconds. */
const DEFAULT_REPLAY_WINDOW_SECONDS = 660;

/** What a back-channel logout did. */
export interface BackchannelLogoutResult {
  /** The provider. */
  provider: string;
  /** How many sessions ended (on every instance sharing the store). */
  ended: number;
}

/**
 * OpenID Connect Back-Channel Logout 1.0 on the token store: validates a provider's logout token
 * (its definition's validator), refuses a replayed `jti` through the store (so every instance
 * shares the memory), then deletes every session the token names, with its grants. Tokens are not
 * revoked upstream: the provider has just ended that session itself.
 */
export class BackchannelLogoutService {
  constructor(
    private readonly store: TokenStore,
    private readonly registry: Pick<ProviderRegistry, 'get'>,
  ) {}

  /**
   * Ends the sessions a logout token names. Throws `LogoutTokenError` (400 `invalid_request` on
   * the wire) for a missing, invalid or replayed token or a provider without back-channel logout,
   * `provider_disabled` (404) for an unknown provider, `store_unavailable` (503) when the store
   * is down.
   */
  async logout(providerId: string, logoutToken: unknown): Promise<BackchannelLogoutResult> {
    const def = await this.registry.get(providerId);
    const spec = def.logoutToken;
    if (!spec) throw refused(Messages.logoutUnsupported(def.id), def.id);
    if (
      typeof logoutToken !== 'string' ||
      logoutToken === '' ||
      logoutToken.length > MAX_LOGOUT_TOKEN
    ) {
      throw refused(Messages.logoutTokenMissing(), def.id);
    }
    const { store } = this;
    if (!store.indexSession || !store.deleteIndexedSessions || !store.claimOnce) {
      throw new ConfigurationError({
        code: 'invalid_config',
        provider: def.id,
        operation: 'logout',
        message: Messages.logoutStoreUnsupported(),
      });
    }
    const claims = await spec.validate(logoutToken);
    const window = spec.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
    if (!(await store.claimOnce(`logout-jti\0${def.id}\0${claims.jti}`, window * 1000))) {
      throw refused(Messages.logoutTokenInvalid(def.id, Messages.logoutTokenReplayed()), def.id);
    }
    let ended = 0;
    for (const key of LogoutLookupKeys.ofLogoutToken(def.id, claims)) {
      ended += await store.deleteIndexedSessions(key);
    }
    return { provider: def.id, ended };
  }
}

function refused(message: string, provider?: string): LogoutTokenError {
  return new LogoutTokenError({
    code: 'invalid_logout_token',
    provider,
    operation: 'logout',
    message,
  });
}

/**
 * Indexes a new session under the lookup keys of each of its grants whose provider sends
 * back-channel logout tokens, so that a token can end it later; a no-op for other providers and
 * for a store without an index.
 */
export async function indexSessionForLogout(
  store: TokenStore,
  registry: Pick<ProviderRegistry, 'get'>,
  sessionId: string,
  grants: ReadonlyArray<{ provider: string; claims?: Record<string, unknown> }>,
  ttlMs: number,
): Promise<void> {
  if (!store.indexSession) return;
  const keys: string[] = [];
  for (const { provider, claims } of grants) {
    if (!claims || !(await registry.get(provider)).logoutToken) continue;
    keys.push(...LogoutLookupKeys.ofLogin(provider, claims));
  }
  if (keys.length > 0) await store.indexSession(sessionId, keys, ttlMs);
}
