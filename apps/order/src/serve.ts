import { runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { OrderConfig } from './config';

/** Starts the order service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: OrderConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  runUntilSignalled([app], stopTracing);
}
