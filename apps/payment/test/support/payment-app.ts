import { randomUUID } from 'node:crypto';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadPaymentConfig, type PaymentAppOptions } from '../../src';

/**
 * The payment service in the embedded profile on an ephemeral port, as a component test starts it:
 * its own consumer group on the process's shared bus (from now on), a quick relay and a quick reconciler.
 */
export async function startEmbeddedPayment(
  env: NodeJS.ProcessEnv,
  options: PaymentAppOptions = {},
): Promise<RunningApp> {
  const config = loadPaymentConfig({
    LOG_LEVEL: 'silent',
    PROFILE: 'embedded',
    KAFKA_CONSUMER_GROUP: `payment-${randomUUID()}`,
    KAFKA_AUTO_OFFSET_RESET: 'latest',
    OUTBOX_RELAY_INTERVAL_MS: '20',
    PAYMENT_RECONCILE_INTERVAL_MS: '50',
    PROVIDER_RETRY_MAX_DELAY_MS: '20',
    ...env,
  });
  return listenOnEphemeralPort(await createApp(config, options));
}
