import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** The active span's W3C trace context, through the globally registered propagator. */
export function currentTraceContext(activeContext: Context = context.active()): {
  traceparent?: string;
  tracestate?: string;
} {
  const carrier: Record<string, string> = {};
  propagation.inject(activeContext, carrier);
  return { traceparent: carrier['traceparent'], tracestate: carrier['tracestate'] };
}

/** The producer's trace context, so that a handler's spans join the trace that caused the message. */
export function traceContextOf(headers: { traceparent?: string; tracestate?: string }): Context {
  const carrier: Record<string, string> = {};
  if (headers.traceparent) carrier['traceparent'] = headers.traceparent;
  if (headers.tracestate) carrier['tracestate'] = headers.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}
