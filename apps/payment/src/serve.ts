import { runUntilSignalled } from '@platform/http';
import { stopTracing } from '@platform/observability/tracing';
import { createApp } from './app';
import type { PaymentConfig } from './config';

/** Starts the payment service as its own process, until SIGINT/SIGTERM. */
export async function serve(config: PaymentConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  runUntilSignalled([app], stopTracing);
}
