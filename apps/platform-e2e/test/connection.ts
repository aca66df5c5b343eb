/** Where the end-to-end tests find Jaeger: the local profile's defaults, or the variables `infra:up` honours. */
export const jaegerQueryUrl =
  process.env['JAEGER_QUERY_URL'] ?? `http://127.0.0.1:${process.env['JAEGER_QUERY_PORT'] ?? 16686}`;
export const otlpEndpoint =
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ??
  `http://127.0.0.1:${process.env['JAEGER_OTLP_HTTP_PORT'] ?? 4318}`;

/**
 * Every suite's requests come from 127.0.0.1 and the gateways share one Redis, so the rate limits
 * would count all suites together; they are tested in apps/gateway (component and real Redis).
 */
export const unthrottled = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  RATE_LIMIT_USER_PER_MINUTE: '1000000',
};
