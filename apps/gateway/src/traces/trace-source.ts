import { byStartTime, displayNameOf, type TraceSpan } from '@platform/observability/tracing';

/** Where the gateway reads a trace for the storefront's trace view. */
export interface TraceSource {
  /** The trace's spans by start time; undefined while the source has none of it (export is asynchronous). */
  find(traceId: string): Promise<TraceSpan[] | undefined>;
}

/** The trace source could not be asked (Jaeger down or answering badly). */
export class TraceSourceUnavailable extends Error {}

interface JaegerTrace {
  spans: {
    spanID: string;
    operationName: string;
    processID: string;
    startTime: number;
    duration: number;
    references?: { refType: string; spanID: string }[];
    tags?: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

const kinds = new Set<TraceSpan['kind']>(['internal', 'server', 'client', 'producer', 'consumer']);

/** Jaeger's query API (`GET /api/traces/{id}`): the local and compose profiles export there. */
export class JaegerTraceSource implements TraceSource {
  constructor(private readonly queryUrl: string) {}

  async find(traceId: string): Promise<TraceSpan[] | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.queryUrl.replace(/\/$/, '')}/api/traces/${traceId}`, {
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      throw new TraceSourceUnavailable(`Jaeger could not be asked: ${String(error)}`);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new TraceSourceUnavailable(`Jaeger answered ${response.status}`);
    const [trace] = ((await response.json()) as { data?: JaegerTrace[] }).data ?? [];
    if (!trace) return undefined;
    return trace.spans
      .map((span): TraceSpan => {
        const tag = (key: string) => span.tags?.find((one) => one.key === key)?.value;
        const kind = String(tag('span.kind') ?? 'internal') as TraceSpan['kind'];
        return {
          spanId: span.spanID,
          parentSpanId:
            span.references?.find((reference) => reference.refType === 'CHILD_OF')?.spanID ?? null,
          service: trace.processes[span.processID]?.serviceName ?? 'unknown',
          name: displayNameOf(
            span.operationName,
            Object.fromEntries((span.tags ?? []).map(({ key, value }) => [key, value])),
          ),
          kind: kinds.has(kind) ? kind : 'internal',
          startMicros: span.startTime,
          durationMicros: span.duration,
          error: tag('error') === true || tag('otel.status_code') === 'ERROR',
        };
      })
      .sort(byStartTime);
  }
}

/** What this process keeps in memory (the embedded profile, where all apps share the process). */
export class InProcessTraceSource implements TraceSource {
  constructor(private readonly kept: { find(traceId: string): TraceSpan[] | undefined }) {}

  async find(traceId: string): Promise<TraceSpan[] | undefined> {
    return this.kept.find(traceId);
  }
}
