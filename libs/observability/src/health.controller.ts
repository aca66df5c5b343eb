import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
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
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up()]);
  }

  /** Answers terminus's own body on 503 too (not problem+json): probes and dashboards read that shape. */
  @Get('readyz')
  async readiness(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    try {
      return await this.health.check(this.readinessChecks.map((dependency) => () => this.probe(dependency)));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }

  private async probe(dependency: ReadinessCheck) {
    const indicator = this.indicators.check(dependency.name);
    try {
      await dependency.check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}
