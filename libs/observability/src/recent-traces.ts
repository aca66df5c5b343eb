/**
 * The last few hundred traces of this process, kept in memory: how the embedded profile, which
 * exports to no collector, still lets a trace be looked at (the gateway serves them at
 * `/api/traces/{traceId}`). Plain OpenTelemetry; no Nest.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** One span as a trace view shows it: who, what, when (epoch microseconds), how long. */
export interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  startMicros: number;
  durationMicros: number;
  error: boolean;
}

const kinds: Record<SpanKind, TraceSpan['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** Start time order; of two spans started in the same microsecond, a parent before its child. */
export function byStartTime(a: TraceSpan, b: TraceSpan): number {
  return (
    a.startMicros - b.startMicros ||
    (b.parentSpanId === a.spanId ? -1 : 0) ||
    (a.parentSpanId === b.spanId ? 1 : 0)
  );
}

/**
 * A span's name as a person reads it: an HTTP span named only by its method (the semantic
 * conventions' low-cardinality name) gets its route or path, `POST /api/orders`.
 */
export function displayNameOf(name: string, attributes: Readonly<Record<string, unknown>>): string {
  const full = attributes['url.full'];
  const where =
    attributes['http.route'] ??
    attributes['url.path'] ??
    attributes['http.target'] ??
    (typeof full === 'string' && URL.canParse(full) ? new URL(full).pathname : undefined);
  return typeof where === 'string' && /^[A-Z]+$/.test(name) ? `${name} ${where.split('?')[0]}` : name;
}

const micros = ([seconds, nanos]: [number, number]) => seconds * 1_000_000 + Math.floor(nanos / 1000);

/**
 * Keeps the spans of the last `maxTraces` traces (the oldest trace goes first), at most
 * `maxSpansPerTrace` each. `serviceOf` names a span's service when one process hosts several.
 */
export class RecentTraces implements SpanProcessor {
  private readonly traces = new Map<string, TraceSpan[]>();

  constructor(
    private readonly serviceOf: (span: ReadableSpan) => string | undefined = () => undefined,
    private readonly maxTraces = 300,
    private readonly maxSpansPerTrace = 500,
  ) {}

  onStart(): void {
    // Kept when it ends, complete.
  }

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    let spans = this.traces.get(traceId);
    if (!spans) {
      if (this.traces.size >= this.maxTraces) this.traces.delete(this.traces.keys().next().value as string);
      this.traces.set(traceId, (spans = []));
    }
    if (spans.length >= this.maxSpansPerTrace) return;
    spans.push({
      spanId: span.spanContext().spanId,
      parentSpanId: span.parentSpanContext?.spanId ?? null,
      service: this.serviceOf(span) ?? String(span.resource.attributes[ATTR_SERVICE_NAME] ?? 'unknown'),
      name: displayNameOf(span.name, span.attributes),
      kind: kinds[span.kind],
      startMicros: micros(span.startTime),
      durationMicros: micros(span.duration),
      error: span.status.code === SpanStatusCode.ERROR,
    });
  }

  /** The trace's spans by start time, or undefined when this process kept none of it. */
  find(traceId: string): TraceSpan[] | undefined {
    const spans = this.traces.get(traceId);
    return spans && [...spans].sort(byStartTime);
  }

  async forceFlush(): Promise<void> {
    // Nothing is buffered.
  }

  async shutdown(): Promise<void> {
    this.traces.clear();
  }
}
