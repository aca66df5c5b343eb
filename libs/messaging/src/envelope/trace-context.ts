import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
} from '@opentelemetry/api';

/**
 * The active span's W3C trace context, or nulls when no valid span is active: what a producer
 * sends and what an outbox event stores, so its consumers join the trace. Read from the span
 * itself, so it needs no registered propagator.
 */
export function currentTraceContext(activeContext: Context = context.active()): {
  traceparent: string | null;
  tracestate: string | null;
} {
  const span = trace.getSpanContext(activeContext);
  if (!span || !isSpanContextValid(span)) return { traceparent: null, tracestate: null };
  const flags = span.traceFlags.toString(16).padStart(2, '0');
  return {
    traceparent: `00-${span.traceId}-${span.spanId}-${flags}`,
    tracestate: span.traceState?.serialize() || null,
  };
}

/** The producer's trace context, so that a handler's spans join the trace that caused the message. */
export function traceContextOf(headers: { traceparent?: string; tracestate?: string }): Context {
  const carrier: Record<string, string> = {};
  if (headers.traceparent) carrier['traceparent'] = headers.traceparent;
  if (headers.tracestate) carrier['tracestate'] = headers.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}
