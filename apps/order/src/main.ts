import { startTracing } from '@platform/observability/tracing';
import { loadOrderConfig } from './config';

async function main(): Promise<void> {
  const config = loadOrderConfig(process.env);
  startTracing({ serviceName: 'order', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  // Loaded only now, so the instrumentations patch http, express, Nest and the drivers as they are required.
  const { serve } = await import('./serve');
  await serve(config);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
