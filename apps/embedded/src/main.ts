import { startTracing } from '@platform/observability/tracing';

/**
 * The embedded profile: every app in one Node process, each on its own port, with in-memory
 * adapters. Needs nothing but Node. Every app reads its configuration from the same environment,
 * with PROFILE=embedded.
 */
async function main(): Promise<void> {
  const env = { ...process.env, PROFILE: 'embedded' };
  startTracing({
    serviceName: 'platform-embedded',
    otlpEndpoint: process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || undefined,
    // No collector here: the gateway serves these to the storefront's trace view.
    keepRecentTraces: true,
  });
  // Loaded only now, so the instrumentations patch http, express and Nest as they are required.
  const { runPlatform } = await import('./run-platform');
  await runPlatform(env);
}

main().catch((error: unknown) => {
  process.stderr.write(`embedded: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
