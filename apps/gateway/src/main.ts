import { startTracing } from '@platform/observability/tracing';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  // No Express or Nest spans: the proxy is a middleware, and the server span carries the route.
  startTracing({
    serviceName: 'gateway',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    frameworkSpans: false,
  });
  // Loaded only now, so the instrumentations patch http, express and Nest as they are required.
  const { serve } = await import('./serve');
  await serve(config);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
