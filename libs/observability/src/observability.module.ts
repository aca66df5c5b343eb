import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import { LoggerModule } from 'nestjs-pino';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthController } from './health.controller';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';
import { OperationsPort, type OperationsPortOptions } from './operations-port';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';
import { loggerParams, type LoggingOptions } from './logging';

export interface ObservabilityOptions extends LoggingOptions {
  readinessChecks?: ReadinessCheck[];
  /** The app's registry when it needs one before Nest starts (its message consumers' metrics); a new one otherwise. */
  metricsRegistry?: Registry;
  /** A port of their own for /healthz, /readyz and /metrics (the gateway, whose main port is public). */
  operationsPort?: OperationsPortOptions;
}

/**
 * Logs (pino, a line per request naming the service and its trace id; see `loggerParams`),
 * metrics (`/metrics`, the app's own registry) and health (`/healthz`, `/readyz`), on the app's
 * port or on an operations port of their own.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ logger: false }), LoggerModule.forRoot(loggerParams(options))],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: METRICS_REGISTRY,
          useValue: options.metricsRegistry ?? createMetricsRegistry(options.serviceName),
        },
        { provide: READINESS_CHECKS, useValue: options.readinessChecks ?? [] },
        {
          provide: OperationsPort,
          useFactory: (adapterHost: HttpAdapterHost) =>
            new OperationsPort(options.operationsPort, adapterHost),
          inject: [HttpAdapterHost],
        },
      ],
      exports: [METRICS_REGISTRY, OperationsPort],
    };
  }
}
