import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { Registry } from 'prom-client';
import {
  METRICS_REGISTRY,
  OperationsPort,
  httpMetricsMiddleware,
  withNestStartupAtDebug,
} from '@platform/observability';
import { DrainingExpressAdapter } from './draining-express-adapter';
import { defaultBodyLimit, jsonBodyMiddleware } from './json-body';
import { serveOpenApiDocument } from './openapi-document';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestContextMiddleware } from './request-context';
import { securityHeadersMiddleware } from './security-headers';

export interface HttpAppOptions {
  /** Largest accepted JSON body; larger ones answer 413. */
  bodyLimit?: string;
  /**
   * The app reads JSON bodies where it needs them (`readJsonBody`) instead of for every request
   * up front: the gateway, which admits a request (rate limit, role) before reading its body.
   */
  readsBodiesItself?: boolean;
  /** Title of the OpenAPI document served at `/openapi.json`, generated from the app's controllers. */
  apiTitle?: string;
}

/**
 * Builds a service's Nest application with the platform's edge conventions: a close that drains
 * keep-alive connections (`DrainingExpressAdapter`), request id and trace id headers, security headers, the operations endpoints kept to their own port where the app has one, RED metrics, a JSON body parser bounded in size and depth,
 * problem+json for every error. Each service's
 * `createApp(config)` calls this, so `main.ts`, the embedded runner and tests get the same app.
 */
export async function createHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  options: HttpAppOptions = {},
): Promise<INestApplication> {
  const adapter = new DrainingExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(rootModule, adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(withNestStartupAtDebug(app.get(Logger)));
  app.disable('x-powered-by');
  app.use(adapter.closeConnectionsOnceClosing);
  app.use(requestContextMiddleware);
  app.use(securityHeadersMiddleware);
  app.use(app.get(OperationsPort).split);
  app.use(httpMetricsMiddleware(app.get<Registry>(METRICS_REGISTRY)));
  if (options.readsBodiesItself !== true) app.use(jsonBodyMiddleware(options.bodyLimit ?? defaultBodyLimit));
  app.useGlobalFilters(new ProblemDetailsFilter());
  if (options.apiTitle) serveOpenApiDocument(app, options.apiTitle);
  return app;
}
