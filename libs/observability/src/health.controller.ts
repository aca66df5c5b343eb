import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

/**
 * Liveness says the process serves and has not lost a part it cannot restart by itself (the checks
 * marked `failsLiveness`); readiness says its own dependencies answer (503 naming the one that does not).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly readinessChecks: ReadinessCheck[],
  ) {}

  @Get('healthz')
  liveness(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    return this.answer(response, [
      async () => this.indicators.check('process').up(),
      ...this.readinessChecks.filter((check) => check.failsLiveness).map((check) => () => this.probe(check)),
    ]);
  }

  @Get('readyz')
  readiness(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    return this.answer(
      response,
      this.readinessChecks.map((dependency) => () => this.probe(dependency)),
    );
  }

  /** Answers terminus's own body on 503 too (not problem+json): probes and dashboards read that shape. */
  private async answer(
    response: Response,
    checks: Parameters<HealthCheckService['check']>[0],
  ): Promise<unknown> {
    try {
      return await this.health.check(checks);
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
