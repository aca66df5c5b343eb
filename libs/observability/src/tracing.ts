/**
 * OpenTelemetry start-up. Import this module first in a process (before Nest, express, http or a
 * driver is required) so that the instrumentations can patch those modules as they load.
 * It imports nothing of Nest on purpose.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { CassandraDriverInstrumentation } from '@opentelemetry/instrumentation-cassandra-driver';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { isOperationsPath } from './operations-paths';
import { RecentTraces } from './recent-traces';
import { appsStartServerSpans } from './server-span';
import { ServiceNamedExporter, ServiceStamp } from './service-named-spans';

export { byStartTime, displayNameOf, type TraceSpan } from './recent-traces';
export { serveInServerSpan } from './server-span';

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP base URL (e.g. http://127.0.0.1:4318). Without it spans still get real ids but go nowhere. */
  otlpEndpoint?: string;
  /** Keep the last few hundred traces in memory, for `recentTraces()` (the embedded profile). */
  keepRecentTraces?: boolean;
  /**
   * A span per Express route handler and per Nest handler (default on). Off, the HTTP server span
   * is a request's own span, still named after its route (the RED metrics middleware sets
   * `http.route`). The gateway turns them off: it forwards from a middleware, so they named
   * nothing, and they cost about a fifth of its CPU per request.
   */
  frameworkSpans?: boolean;
  /**
   * Whether the http instrumentation starts each incoming request's server span (default on).
   * Off, the app starts them where it installs its request listener (`serveInServerSpan`), and the
   * instrumentation leaves incoming requests alone: the gateway, where binding every request's
   * emitters to its context cost about a fifth of the CPU per proxied request. Requests the app's
   * listener does not see (the operations port's probes and scrapes) get no span.
   */
  httpServerSpans?: boolean;
}

let sdk: NodeSDK | undefined;
let instrumentations: Instrumentation[] = [];
let kept: RecentTraces | undefined;

/** The traces this process keeps (`keepRecentTraces`), or undefined. */
export function recentTraces(): Pick<RecentTraces, 'find'> | undefined {
  return kept;
}

export function startTracing(options: TracingOptions): void {
  if (sdk) return; // one SDK per process; the embedded runner starts it once for every app
  // In the embedded profile each span is named after the service that started it (ServiceStamp).
  // The stamp alone still makes the SDK install its tracer provider, so requests get real trace
  // ids (X-Trace-Id, traceparent) where spans go nowhere.
  const stamp = new ServiceStamp();
  const spanProcessors: SpanProcessor[] = [stamp];
  if (options.keepRecentTraces) {
    kept = new RecentTraces((span) => stamp.serviceOf(span));
    spanProcessors.push(kept);
  }
  if (options.otlpEndpoint)
    spanProcessors.push(
      new BatchSpanProcessor({
        exporter: new ServiceNamedExporter(
          new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
          stamp,
        ),
        maxQueueSize: 8192,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 1000,
      }),
    );
  instrumentations = [
    new HttpInstrumentation({
      disableIncomingRequestInstrumentation: options.httpServerSpans === false,
      // Probes and scrapes every few seconds are noise.
      ignoreIncomingRequestHook: (request) => isOperationsPath(request.url),
    }),
    ...(options.frameworkSpans === false
      ? []
      : [
          // A span per Express middleware says nothing a reader needs (the HTTP span and Nest's
          // handler span carry the route) and costs a span and a listener per layer per request.
          new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
          new NestInstrumentation(),
        ]),
    new KafkaJsInstrumentation(),
    new IORedisInstrumentation(),
    new MongoDBInstrumentation(),
    new CassandraDriverInstrumentation(),
    new PinoInstrumentation({ disableLogSending: true }),
    new UndiciInstrumentation(),
  ];
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion ?? '0.1.0',
    }),
    spanProcessors,
    // Metrics are Prometheus (prom-client) and logs are pino lines on stdout: keep the SDK from
    // adding OTLP metric and log exporters of its own from the environment defaults.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  appsStartServerSpans(options.httpServerSpans === false);
}

/** Flushes pending spans; call on shutdown so the last requests' spans reach the collector. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  kept = undefined;
  appsStartServerSpans(false);
  const patching = instrumentations;
  instrumentations = [];
  try {
    await running?.shutdown();
  } finally {
    // Their patches and diagnostics-channel subscriptions outlive the SDK: a process that starts
    // tracing again (a test file after another) would otherwise inject a second traceparent.
    for (const instrumentation of patching) instrumentation.disable();
  }
}
