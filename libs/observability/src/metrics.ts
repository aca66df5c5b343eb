import { context } from '@opentelemetry/api';
import { getRPCMetadata, type RPCMetadata, RPCType } from '@opentelemetry/core';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Nest injection token of the app's own Prometheus registry (one per app, so the embedded profile keeps them apart). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export function createMetricsRegistry(serviceName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Nest answers unknown paths from a catch-all route; those count as unmatched, like no route at all. */
const catchAllRoute = '{/*splat}';

function matchedRoute(request: Request): string {
  const path = request.route?.path;
  return typeof path === 'string' && path !== catchAllRoute ? `${request.baseUrl}${path}` : 'unmatched';
}

/**
 * The request's route on its HTTP server span too (`http.route`, and the span's name), where no
 * framework instrumentation set it: the span ends at the response's `close`, after this `finish`.
 */
function nameServerSpan(rpc: RPCMetadata | undefined, route: string): void {
  if (rpc?.type === RPCType.HTTP && rpc.route === undefined) rpc.route = route;
}

/** Records one request's RED metrics once its response has finished. */
export interface HttpServerMetrics {
  /** `routeOf` is read when the response finishes (Express knows the route only after routing). */
  track(request: IncomingMessage, response: ServerResponse, routeOf: () => string): void;
}

const metricsOfRegistry = new WeakMap<Registry, HttpServerMetrics>();

/**
 * RED metrics per route: request count by status and latency histogram. The route label is the
 * route pattern (`/api/orders/:id`), never the raw path, so cardinality stays bounded; 'unmatched'
 * where there is none. The same route names the request's trace span. One recorder per registry:
 * Express's middleware and the gateway's proxy, which answers without Express, share it.
 */
export function httpServerMetrics(registry: Registry): HttpServerMetrics {
  const existing = metricsOfRegistry.get(registry);
  if (existing) return existing;
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests served, by method, route and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const metrics: HttpServerMetrics = {
    track(request, response, routeOf) {
      const startedAt = process.hrtime.bigint();
      // The span's metadata is read now: the response's events need not run in the request's
      // context (serveInServerSpan binds no emitters).
      const serverSpan = getRPCMetadata(context.active());
      response.once('finish', () => {
        const route = routeOf();
        if (route !== 'unmatched') nameServerSpan(serverSpan, route);
        const labels = { method: request.method ?? 'GET', route, status: String(response.statusCode) };
        requests.inc(labels);
        duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
      });
    },
  };
  metricsOfRegistry.set(registry, metrics);
  return metrics;
}

/** `httpServerMetrics` as Express middleware, labelled by the route Express matched. */
export function httpMetricsMiddleware(registry: Registry) {
  const metrics = httpServerMetrics(registry);
  return (request: Request, response: Response, next: NextFunction): void => {
    metrics.track(request, response, () => matchedRoute(request));
    next();
  };
}
