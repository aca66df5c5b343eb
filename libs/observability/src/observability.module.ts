import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';
import { requestIdOf } from './request-id';

export interface ObservabilityOptions {
  serviceName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readinessChecks?: ReadinessCheck[];
  /** The app's registry when it needs one before Nest starts (its message consumers' metrics); a new one otherwise. */
  metricsRegistry?: Registry;
}

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Logs (pino, one JSON line per request, carrying trace_id/span_id through the pino
 * instrumentation), metrics (`/metrics`, the app's own registry) and health (`/healthz`, `/readyz`).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            name: options.serviceName,
            level: options.logLevel,
            genReqId: (request) => requestIdOf(request),
            autoLogging: { ignore: (request) => probePaths.has((request.url ?? '').split('?')[0] ?? '') },
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: request.url,
              }),
            },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: METRICS_REGISTRY,
          useValue: options.metricsRegistry ?? createMetricsRegistry(options.serviceName),
        },
        { provide: READINESS_CHECKS, useValue: options.readinessChecks ?? [] },
      ],
      exports: [METRICS_REGISTRY],
    };
  }
}
