import { listenWhileStarting, runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { NotificationConfig } from './config';

/** Starts the notification service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: NotificationConfig): Promise<void> {
  // Live at once (/healthz), ready (/readyz) once its stores and brokers are connected.
  const app = await listenWhileStarting({ port: config.PORT, host: config.HOST }, () => createApp(config));
  runUntilSignalled([app], stopTracing);
}
