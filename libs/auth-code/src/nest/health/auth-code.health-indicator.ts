import { Inject, Injectable } from '@nestjs/common';
import { ProviderRegistry } from '../../core/provider-registry';
import { AuthCodeHealth } from '../../health/auth-code-health';
import { TokenStore } from '../../stores/token-store.interface';

/**
 * A health indicator for `@nestjs/terminus` 11 and 12 (no import of terminus needed): the token
 * store's round trip and each provider's discovery/JWKS reachability, bounded by a timeout.
 *
 * ```ts
 * @Get('health') @Public() @HealthCheck()
 * check() { return this.health.check([() => this.authCode.isHealthy()]); }
 * ```
 *
 * It returns a part that is down as `down` rather than throwing terminus 11's `HealthCheckError`
 * (gone in 12): both versions answer 503 with the same body for it.
 */
@Injectable()
export class AuthCodeHealthIndicator extends AuthCodeHealth {
  constructor(
    @Inject(TokenStore) store: TokenStore,
    @Inject(ProviderRegistry) registry: ProviderRegistry,
  ) {
    super(store, registry);
  }
}
