import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ServiceNamedExporter, ServiceStamp } from './service-named-spans';
import { runAsService } from './service-context';

function aProvider() {
  const exported = new InMemorySpanExporter();
  const stamp = new ServiceStamp();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'platform-embedded', 'host.name': 'box' }),
    spanProcessors: [stamp, new SimpleSpanProcessor({ exporter: new ServiceNamedExporter(exported, stamp) })],
  });
  const serviceOf = (name: string) =>
    exported.getFinishedSpans().find((span) => span.name === name)?.resource.attributes['service.name'];
  return { tracer: provider.getTracer('test'), exported, serviceOf };
}

describe('service-named spans (several services in one process)', () => {
  it('when a span starts inside runAsService, then it is exported under that service, the rest of the resource kept', () => {
    const { tracer, exported, serviceOf } = aProvider();
    runAsService('order', () => tracer.startSpan('POST /api/orders').end());
    runAsService('inventory', () => tracer.startSpan('GET /api/products').end());

    expect(serviceOf('POST /api/orders')).toBe('order');
    expect(serviceOf('GET /api/products')).toBe('inventory');
    expect(exported.getFinishedSpans()[0]?.resource.attributes['host.name']).toBe('box');
  });

  it('when a span starts outside any service, then it inherits its parent span’s service', () => {
    const { tracer, serviceOf } = aProvider();
    const parent = runAsService('payment', () => tracer.startSpan('authorize'));
    tracer.startSpan('charge', {}, trace.setSpan(context.active(), parent)).end();
    parent.end();

    expect(serviceOf('charge')).toBe('payment');
  });

  it('when no service is in context and none above it, then the span keeps the process’s name', () => {
    const { tracer, serviceOf } = aProvider();
    tracer.startSpan('start-up').end();

    expect(serviceOf('start-up')).toBe('platform-embedded');
  });
});
