import { randomBytes } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** The current request's W3C trace id (32 hex); a random one if no span is active, so the header is never missing. */
export function currentTraceId(): string {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : randomBytes(16).toString('hex');
}
