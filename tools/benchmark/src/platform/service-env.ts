/**
 * The environment of each service in a benchmark run: the local profile, its own databases,
 * keyspaces and consumer groups (named after the run, so runs never share state), and a tracing
 * mode.
 */

export type TracingMode = 'export' | 'no-export' | 'sdk-disabled';

export const tracingModeLabels: Record<TracingMode, string> = {
  export: 'tracing on (OTLP to Jaeger)',
  'no-export': 'tracing off (no OTLP endpoint)',
  'sdk-disabled': 'OTel SDK disabled',
};

/**
 * - export: 100% of requests traced, spans batched (BatchSpanProcessor) and sent to Jaeger over OTLP/HTTP;
 * - no-export: no endpoint, so the SDK runs with a no-op span processor: spans are still created
 *   and ended (trace ids stay real), only never exported; this is what "tracing off" means for the apps;
 * - sdk-disabled: OTEL_SDK_DISABLED=true: the instrumentations patch the modules but the tracer is
 *   the no-op one; the nearest to "no tracing at all" that needs no code change.
 */
export function tracingEnv(mode: TracingMode, otlpEndpoint: string): Record<string, string> {
  switch (mode) {
    case 'export':
      return { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_SDK_DISABLED: 'false' };
    case 'no-export':
      // Empty, not absent: absent, the local profile would default it to Jaeger.
      return { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SDK_DISABLED: 'false' };
    case 'sdk-disabled':
      return { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SDK_DISABLED: 'true' };
  }
}

/** Names per run and stack: Mongo databases and Kafka groups take '-', Cassandra keyspaces '_' only. */
export function runNames(runId: string, stack: string) {
  const base = `bench-${runId}-${stack}`;
  return {
    database: (service: string) => `${base}-${service}`,
    consumerGroup: (service: string) => `${base}-${service}`,
    keyspace: (service: string) => `${base}_${service}`.replace(/-/g, '_'),
  };
}

/** Rate limits far above any benchmark rate: every request comes from one address and one user. */
export const unthrottledGateway = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000000',
  RATE_LIMIT_USER_PER_MINUTE: '1000000000',
};

/** A consumer group of this run starts at the end of its topics: other runs' history stays out. */
export function consumerEnv(group: string): Record<string, string> {
  return { KAFKA_CONSUMER_GROUP: group, KAFKA_AUTO_OFFSET_RESET: 'latest' };
}
