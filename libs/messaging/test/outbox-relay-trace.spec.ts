import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemoryOutboxStore } from '../src/outbox/in-memory-outbox-store';
import { outboxFieldsOf } from '../src/outbox/outbox-fields';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import type { MessagePublisher, OutgoingMessage } from '../src/message-publisher.port';
import { aPendingEvent, anAggregateId } from './support/outbox-builders';

/** Records the trace context that is active while each message is published. */
class ContextRecordingPublisher implements MessagePublisher {
  readonly activeTraceIds: (string | undefined)[] = [];

  async publish(_message: OutgoingMessage): Promise<void> {
    this.activeTraceIds.push(trace.getSpanContext(context.active())?.traceId);
  }
}

describe('the outbox relay and trace context', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  // What the OpenTelemetry SDK registers in every service (libs/observability/tracing).
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    contextManager.disable();
    context.disable();
    propagation.disable();
  });

  it('when an event carries the trace context of the request that wrote it, then it is published inside that context, so the producer span joins that trace', async () => {
    const store = new InMemoryOutboxStore();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    store.documents.set(
      anAggregateId(),
      outboxFieldsOf([aPendingEvent({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` })]),
    );
    const publisher = new ContextRecordingPublisher();
    const relay = new OutboxRelay({
      store,
      publisher,
      source: 'auth',
      route: () => ({ topic: 'users.events.v1' }),
    });

    await relay.publishPending();

    expect(publisher.activeTraceIds).toEqual([traceId]);
  });
});
