import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { eventually, fetchJaegerTrace, requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

describe('OTLP into Jaeger, read back from its query API', () => {
  jest.setTimeout(60_000);

  beforeAll(() =>
    requireInfrastructure(`Jaeger query API at ${connection.JAEGER_QUERY_URL}`, async () => {
      const response = await fetch(`${connection.JAEGER_QUERY_URL}/api/services`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    }),
  );

  it('when a span is exported over OTLP/HTTP, then Jaeger returns it by trace id with its service', async () => {
    const serviceName = uniqueName('connectivity-test');
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${connection.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` }),
        }),
      ],
    });
    const span = provider
      .getTracer('connectivity')
      .startSpan('place-order', { attributes: { 'order.items': 2 } });
    const { traceId } = span.spanContext();
    span.end();
    await provider.forceFlush();
    await provider.shutdown();

    const found = await eventually(() => fetchJaegerTrace(connection.JAEGER_QUERY_URL, traceId));
    expect(found.traceID).toBe(traceId);
    const [stored] = found.spans;
    expect(stored?.operationName).toBe('place-order');
    expect(found.processes[stored?.processID ?? '']?.serviceName).toBe(serviceName);
    expect(stored?.tags).toEqual(expect.arrayContaining([{ key: 'order.items', type: 'int64', value: 2 }]));
  });
});
