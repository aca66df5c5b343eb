import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { UserRegistered } from '@platform/contracts';
import { eventually } from '@platform/testing';
import { handlerOf, InMemoryMessageBus } from '../src';

describe('the consumer span', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  // What the OpenTelemetry SDK registers in every service (libs/observability/tracing).
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
  });
  afterAll(() => {
    contextManager.disable();
    context.disable();
    propagation.disable();
    trace.disable();
  });

  it("when a message carries its producer's trace context, then the handler runs in a consumer span that is the producer span's child", async () => {
    const bus = new InMemoryMessageBus();
    const traceId = randomUUID().replaceAll('-', '');
    const producerSpanId = randomUUID().replaceAll('-', '').slice(0, 16);
    let handlerSpanId: string | undefined;
    await bus.subscribe({
      groupId: 'notification',
      handlers: [
        handlerOf(UserRegistered, async () => {
          handlerSpanId = trace.getSpanContext(context.active())?.spanId;
        }),
      ],
    });
    const userId = randomUUID();
    await bus.publish({
      topic: UserRegistered.topic,
      type: UserRegistered.type,
      key: userId,
      data: { userId, email: 'ada@example.com', name: 'Ada' },
      source: 'auth',
      traceparent: `00-${traceId}-${producerSpanId}-01`,
    });

    const [span] = await eventually(async () => {
      const spans = exporter.getFinishedSpans();
      return spans.length > 0 ? spans : undefined;
    });
    expect(span).toMatchObject({
      name: `process ${UserRegistered.type}`,
      kind: SpanKind.CONSUMER,
      parentSpanContext: expect.objectContaining({ traceId, spanId: producerSpanId }),
      attributes: expect.objectContaining({
        'messaging.destination.name': UserRegistered.topic,
        'messaging.consumer.group.name': 'notification',
      }),
    });
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(handlerSpanId).toBe(span?.spanContext().spanId);
  });
});
