import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { displayNameOf, RecentTraces } from './recent-traces';

function aTracer(kept: RecentTraces) {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'platform-embedded' }),
    spanProcessors: [kept],
  }).getTracer('test');
}

describe('RecentTraces (the embedded profile’s traces, kept in memory)', () => {
  it('when spans of a trace end, then the trace lists them by start time, child under parent, named by service', () => {
    const kept = new RecentTraces((span) => (span.name.startsWith('order') ? 'order' : undefined));
    const tracer = aTracer(kept);
    const parent = tracer.startSpan('gateway request');
    const child = tracer.startSpan('order handler', {}, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();

    const spans = kept.find(parent.spanContext().traceId);
    expect(spans?.map(({ name, service, parentSpanId }) => ({ name, service, parentSpanId }))).toEqual([
      { name: 'gateway request', service: 'platform-embedded', parentSpanId: null },
      { name: 'order handler', service: 'order', parentSpanId: parent.spanContext().spanId },
    ]);
  });

  it('when more traces end than it keeps, then the oldest trace is dropped first', () => {
    const kept = new RecentTraces(undefined, 2);
    const tracer = aTracer(kept);
    const ids = ['first', 'second', 'third'].map((name) => {
      const span = tracer.startSpan(name);
      span.end();
      return span.spanContext().traceId;
    });

    expect(ids.map((id) => kept.find(id)?.[0]?.name)).toEqual([undefined, 'second', 'third']);
  });

  it('when a trace was never seen, then there is nothing to find', () => {
    expect(new RecentTraces().find('0'.repeat(32))).toBeUndefined();
  });
});

describe('displayNameOf', () => {
  it.each([
    ['POST', { 'http.route': '/api/orders' }, 'POST /api/orders'],
    ['GET', { 'url.path': '/api/products/TEA-GREEN' }, 'GET /api/products/TEA-GREEN'],
    ['POST', { 'url.full': 'http://127.0.0.1:3006/v1/charges?x=1' }, 'POST /v1/charges'],
    [
      'process platform.orders.order-placed.v1',
      { 'url.path': '/x' },
      'process platform.orders.order-placed.v1',
    ],
    ['GET', {}, 'GET'],
  ])('when a span is named %s with %j, then it reads %s', (name, attributes, expected) => {
    expect(displayNameOf(name, attributes)).toBe(expected);
  });
});
