import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, httpMetricsMiddleware } from '@platform/observability';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestContextMiddleware } from './request-context';

export interface HttpAppOptions {
  /** Largest accepted JSON body; larger ones answer 413. */
  bodyLimit?: string;
}

/**
 * Builds a service's Nest application with the platform's edge conventions: request id and trace id
 * headers, RED metrics, a bounded JSON body parser, problem+json for every error. Each service's
 * `createApp(config)` calls this, so `main.ts`, the embedded runner and tests get the same app.
 */
export async function createHttpApp(rootModule: Type<unknown> | DynamicModule, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(requestContextMiddleware);
  app.use(httpMetricsMiddleware(app.get<Registry>(METRICS_REGISTRY)));
  app.useBodyParser('json', { limit: options.bodyLimit ?? '64kb' });
  app.useGlobalFilters(new ProblemDetailsFilter());
  return app;
}
