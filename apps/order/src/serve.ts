import { listenWhileStarting, runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { OrderConfig } from './config';

/** Starts the order service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: OrderConfig): Promise<void> {
  // Live at once (/healthz), ready (/readyz) once its stores and brokers are connected.
  const app = await listenWhileStarting({ port: config.PORT, host: config.HOST }, () => createApp(config));
  runUntilSignalled([app], stopTracing);
}
