/** Where the end-to-end tests find Jaeger: the local profile's defaults, or the variables `infra:up` honours. */
export const jaegerQueryUrl = process.env['JAEGER_QUERY_URL'] ?? `http://127.0.0.1:${process.env['JAEGER_QUERY_PORT'] ?? 16686}`;
export const otlpEndpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? `http://127.0.0.1:${process.env['JAEGER_OTLP_HTTP_PORT'] ?? 4318}`;
