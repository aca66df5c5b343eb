/**
 * One process, several services: the embedded profile runs every service in one Node process
 * with one tracer provider, whose resource names the process. These two pieces give each span the
 * `service.name` of the service that started it, so Jaeger shows the embedded platform as the
 * services it is, as it does for the local profile's separate processes.
 */
import { trace, type Context } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { serviceInContext } from './service-context';

/**
 * Notes which service starts each span: the one in the async context (`runAsService`), else the
 * parent span's. Spans of a process that hosts one service get no note and keep its resource.
 */
export class ServiceStamp implements SpanProcessor {
  private readonly services = new WeakMap<object, string>();

  onStart(span: Span, parentContext: Context): void {
    const parent = trace.getSpan(parentContext);
    const service = serviceInContext() ?? (parent && this.services.get(parent));
    if (service) this.services.set(span, service);
  }

  serviceOf(span: ReadableSpan): string | undefined {
    return this.services.get(span);
  }

  onEnd(): void {
    // The note is read at export; nothing to do when a span ends.
  }

  async forceFlush(): Promise<void> {
    // Holds no spans.
  }

  async shutdown(): Promise<void> {
    // Holds no resources.
  }
}

/** Exports each span with its stamped service as `service.name`, the rest of the resource kept. */
export class ServiceNamedExporter implements SpanExporter {
  /** The renamed resource per process resource and service, so spans of a service share one. */
  private readonly renamed = new WeakMap<Resource, Map<string, Resource>>();

  constructor(
    private readonly exporter: SpanExporter,
    private readonly stamp: ServiceStamp,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(
      spans.map((span) => {
        const service = this.stamp.serviceOf(span);
        if (!service) return span;
        // The span itself stays untouched; the copy differs only in its resource.
        return Object.create(span, { resource: { value: this.resourceOf(span.resource, service) } });
      }),
      resultCallback,
    );
  }

  private resourceOf(process: Resource, service: string): Resource {
    let byService = this.renamed.get(process);
    if (!byService) this.renamed.set(process, (byService = new Map()));
    let resource = byService.get(service);
    if (!resource) {
      resource = process.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }));
      byService.set(service, resource);
    }
    return resource;
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.exporter.forceFlush?.();
  }
}
