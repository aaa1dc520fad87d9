import { ConfigurationError } from '../../errors/auth-code.errors';
import type { TokenLogger } from '../../core/token-logger';
import { PostgresTokenStore } from '../../stores/postgres-token.store';
import type { TokenStore } from '../../stores/token-store.interface';
import { GrantUpkeep } from '../../tokens/grant-upkeep';
import type { TokenService } from '../../tokens/token.service';
import type { ResolvedAuthCodeOptions } from '../options/auth-code.options';

/**
 * The module's {@link GrantUpkeep}: always built (so that an app can run `runOnce()` from its own
 * scheduler), started at application bootstrap only when the `upkeep` option is on. A store
 * without the upkeep index with `upkeep` on stops start-up with a clear message.
 */
export function createGrantUpkeep(
  o: ResolvedAuthCodeOptions,
  tokens: TokenService,
  store: TokenStore,
  logger: TokenLogger,
): GrantUpkeep {
  const settings = typeof o.upkeep === 'object' ? o.upkeep : {};
  const upkeep = new GrantUpkeep(tokens, store, {
    intervalMs: (settings.intervalSeconds ?? 300) * 1000,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    logger,
    // the PostgreSQL store's expiry cleanup runs in the upkeep loop
    afterRound:
      store instanceof PostgresTokenStore
        ? () =>
            store
              .cleanup()
              .catch((err: Error) => logger.warn(`Store cleanup failed (${err.message})`))
        : undefined,
  });
  if (o.upkeep && !upkeep.supported) {
    throw new ConfigurationError({
      code: 'invalid_config',
      operation: 'config',
      message:
        'Background upkeep (upkeep / AUTH_UPKEEP=on) needs a store with the upkeep index (claimDueGrants): the memory, Redis, Redis Cluster and PostgreSQL stores have it; your own store does not',
    });
  }
  return upkeep;
}

/** Whether the options turn background upkeep on. */
export function upkeepEnabled(o: Pick<ResolvedAuthCodeOptions, 'upkeep'>): boolean {
  return o.upkeep !== undefined && o.upkeep !== false;
}
