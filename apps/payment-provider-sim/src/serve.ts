import { runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { ProviderSimConfig } from './config';

/** Starts the simulator as its own process, until SIGINT/SIGTERM. */
export async function serve(config: ProviderSimConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  runUntilSignalled([app], stopTracing);
}
