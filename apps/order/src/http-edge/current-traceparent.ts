import { isSpanContextValid, trace } from '@opentelemetry/api';

/** The active span as a W3C traceparent, stored with an outbox event so its consumers join the trace. */
export function currentTraceparent(): string | null {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return null;
  return `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`;
}
