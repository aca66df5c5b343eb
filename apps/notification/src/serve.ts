import { runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { NotificationConfig } from './config';

/** Starts the notification service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: NotificationConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  runUntilSignalled([app], stopTracing);
}
