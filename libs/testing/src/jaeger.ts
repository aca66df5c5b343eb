/** The parts of Jaeger's query API (`GET /api/traces/{id}`) that tests read. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; type: string; value: unknown }[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** One trace by id, or undefined while Jaeger has not (yet) received it. */
export async function fetchJaegerTrace(queryUrl: string, traceId: string): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}`);
  const body = (await response.json()) as { data: JaegerTrace[] };
  return body.data[0];
}

/** The service name of each span of a trace, e.g. ['gateway', 'gateway', 'auth']. */
export function servicesOf(jaegerTrace: JaegerTrace): string[] {
  return jaegerTrace.spans.map((span) => jaegerTrace.processes[span.processID]?.serviceName ?? '?');
}
