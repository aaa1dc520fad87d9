import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { AuthCodeHealthIndicator, Public } from 'nestjs-auth-code';
import { SAMPLE_OPTIONS, type SampleOptions } from '../sample.options';

/**
 * `GET /health` (public): `@nestjs/terminus` with the library's indicator — the token store's
 * round trip and each provider's discovery/JWKS. 200 `{"status":"ok",…}` while all are up, 503
 * `{"status":"error",…}` naming the part that is down.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly authCode: AuthCodeHealthIndicator,
    @Inject(SAMPLE_OPTIONS) private readonly options: SampleOptions,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.authCode.isHealthy(this.options.health)]);
  }
}
