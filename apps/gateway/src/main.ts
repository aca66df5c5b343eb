import { startTracing } from '@platform/observability/tracing';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  // No Express or Nest spans: the proxy answers ahead of them, and the server span carries the
  // route. The server spans are the gateway's own (app.ts), with no emitters bound per request.
  startTracing({
    serviceName: 'gateway',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    frameworkSpans: false,
    httpServerSpans: false,
  });
  // Loaded only now, so the instrumentations patch http, express and Nest as they are required.
  const { serve } = await import('./serve');
  await serve(config);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
