import { call } from './api.js';

interface TraceSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: string;
  startMicros: number;
  durationMicros: number;
  error: boolean;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let shown: string | undefined;

/** Shows a trace as a waterfall: one row per span, indented under its parent, a bar for its time. */
export async function showTrace(traceId: string): Promise<void> {
  shown = traceId;
  const section = byId('trace');
  section.hidden = false;
  byId('trace-caption').textContent = `Trace ${traceId}`;
  const { body } = await call<{ spans: TraceSpan[] }>('GET', `/api/traces/${traceId}`).catch(
    (error: unknown) => {
      byId('trace-spans').replaceChildren();
      byId('trace-caption').textContent =
        `Trace ${traceId}: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    },
  );
  render(traceId, body.spans);
  section.scrollIntoView();
}

export function wireTraceView(): void {
  byId('trace-refresh').addEventListener('click', () => {
    if (shown) void showTrace(shown).catch(() => undefined);
  });
  byId('trace-close').addEventListener('click', () => {
    shown = undefined;
    byId('trace').hidden = true;
  });
}

function render(traceId: string, spans: TraceSpan[]): void {
  const start = Math.min(...spans.map((span) => span.startMicros));
  const end = Math.max(...spans.map((span) => span.startMicros + span.durationMicros));
  const total = Math.max(end - start, 1);
  const parents = new Map(spans.map((span) => [span.spanId, span.parentSpanId]));
  const depthOf = (span: TraceSpan) => {
    let depth = 0;
    for (
      let parent = span.parentSpanId;
      parent && parents.has(parent) && depth < 30;
      parent = parents.get(parent) ?? null
    )
      depth += 1;
    return depth;
  };
  const services = new Set(spans.map((span) => span.service));
  byId('trace-caption').textContent =
    `Trace ${traceId}: ${spans.length} spans in ${[...services].join(', ')}, ${ms(total)}`;
  byId('trace-spans').replaceChildren(
    ...spans.map((span) => {
      const row = document.createElement('tr');
      const name = cell(span.name, 'span-name');
      name.style.paddingLeft = `${0.5 + depthOf(span)}rem`;
      const bar = document.createElement('div');
      bar.className = span.error ? 'bar error' : 'bar';
      bar.style.marginLeft = `${((span.startMicros - start) / total) * 100}%`;
      bar.style.width = `${(span.durationMicros / total) * 100}%`;
      const timeline = cell('', 'timeline');
      timeline.append(bar);
      row.append(
        cell(span.service),
        name,
        cell(ms(span.startMicros - start)),
        cell(ms(span.durationMicros)),
        timeline,
      );
      return row;
    }),
  );
}

function cell(text: string, className = ''): HTMLTableCellElement {
  const created = document.createElement('td');
  created.textContent = text;
  if (className) created.className = className;
  return created;
}

function ms(micros: number): string {
  return `${(micros / 1000).toFixed(micros < 10_000 ? 1 : 0)} ms`;
}
