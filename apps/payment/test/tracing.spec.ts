import { randomUUID } from 'node:crypto';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { embeddedMessageBus } from '@platform/messaging';
import type { RunningApp } from '@platform/testing';
import { anAuthorizePayment } from './support/commands';
import { type FakeProvider, startFakeProvider } from './support/fake-provider';
import { type PaymentEventLog, listenToPaymentEvents } from './support/payment-events';
import { startEmbeddedPayment } from './support/payment-app';

const hex = (length: number) => randomUUID().replaceAll('-', '').slice(0, length);

describe('tracing of the provider calls', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  // What libs/observability/tracing registers in every service, with spans kept in memory to read.
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let undici: UndiciInstrumentation;
  let fakeProvider: FakeProvider;
  let service: RunningApp;
  let events: PaymentEventLog;
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    // Enabled as it is made: it listens on undici's diagnostics channels, which need no patching.
    undici = new UndiciInstrumentation();
    undici.setTracerProvider(provider);
    fakeProvider = await startFakeProvider();
    service = await startEmbeddedPayment({ PROVIDER_URL: fakeProvider.url, PROVIDER_TIMEOUT_MS: '300' });
    events = await listenToPaymentEvents(embeddedMessageBus());
  });
  afterAll(async () => {
    await events.stop();
    await service.close();
    await fakeProvider.close();
    undici.disable();
    contextManager.disable();
    context.disable();
    propagation.disable();
    trace.disable();
  });

  const spansOf = (traceId: string) =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  /** An AuthorizePayment as the order saga's relay sends it: inside the saga's trace. */
  const publishInTrace = async (traceId: string) => {
    const command = { ...anAuthorizePayment(), traceparent: `00-${traceId}-${hex(16)}-01` };
    await embeddedMessageBus().publish(command);
    return (command.data as { orderId: string }).orderId;
  };

  it('when AuthorizePayment is handled, then the charge is an HTTP client span inside the consumer span, and the provider gets its trace', async () => {
    const traceId = hex(32);
    const orderId = await publishInTrace(traceId);
    await events.waitFor(orderId, 1);

    // The test's own consumer of the answer is in the trace too, and may end first.
    const consumer = spansOf(traceId).find(
      (span) =>
        span.kind === SpanKind.CONSUMER && span.name === 'process platform.payments.authorize-payment.v1',
    );
    const client = spansOf(traceId).find((span) => span.kind === SpanKind.CLIENT);
    expect(consumer).toBeDefined();
    expect(client).toMatchObject({ name: 'POST' });
    expect(client && parentOf(client)).toBe(consumer?.spanContext().spanId);
    const [charge] = fakeProvider.requestsFor(orderId);
    expect(String(charge?.headers['traceparent'])).toContain(`00-${traceId}-${client?.spanContext().spanId}`);
  });

  it('when a charge in doubt is settled later by the reconciler, then that call is in the same trace too', async () => {
    fakeProvider.behaviour = 'slow';
    const traceId = hex(32);
    const orderId = await publishInTrace(traceId);
    await events.waitFor(orderId, 1);

    const reconcile = spansOf(traceId).find((span) => span.name === 'reconcile payment');
    expect(reconcile).toBeDefined();
    const lateCall = spansOf(traceId).find(
      (span) => span.kind === SpanKind.CLIENT && parentOf(span) === reconcile?.spanContext().spanId,
    );
    expect(lateCall).toMatchObject({ name: 'POST' });
  });
});
