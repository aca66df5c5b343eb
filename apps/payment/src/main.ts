import { startTracing } from '@platform/observability/tracing';
import { loadPaymentConfig } from './config';

async function main(): Promise<void> {
  const config = loadPaymentConfig(process.env);
  startTracing({ serviceName: 'payment', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  // Loaded only now, so the instrumentations patch http, express, Nest and the drivers as they are required.
  const { serve } = await import('./serve');
  await serve(config);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
