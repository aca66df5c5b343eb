import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

/** Liveness says the process serves; readiness says its own dependencies answer (503 naming the one that does not). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly readinessChecks: ReadinessCheck[],
  ) {}

  @Get('healthz')
  @HealthCheck()
  liveness() {
    return this.health.check([async () => this.indicators.check('process').up()]);
  }

  @Get('readyz')
  @HealthCheck()
  readiness() {
    return this.health.check(
      this.readinessChecks.map((dependency) => async () => {
        const indicator = this.indicators.check(dependency.name);
        try {
          await dependency.check();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
        }
      }),
    );
  }
}
