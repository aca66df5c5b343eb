import { runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { InventoryConfig } from './config';

/** Starts the inventory service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: InventoryConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  runUntilSignalled([app], stopTracing);
}
