export { ObservabilityModule, type ObservabilityOptions } from './observability.module';
export {
  METRICS_REGISTRY,
  createMetricsRegistry,
  httpMetricsMiddleware,
  httpServerMetrics,
  type HttpServerMetrics,
} from './metrics';
export { type ReadinessCheck } from './readiness';
export { requestIdOf } from './request-id';
export { currentTraceId } from './trace-id';
export { inThisContext } from './server-span';
export { type LogFormat, type LogLevel, logWhenAnswered, withNestStartupAtDebug } from './logging';
export { runAsService, serviceInContext } from './service-context';
export { OperationsPort, type OperationsPortOptions } from './operations-port';
export { isOperationsPath, operationsPathOf } from './operations-paths';
