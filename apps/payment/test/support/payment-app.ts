import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadPaymentConfig, type PaymentAppOptions } from '../../src';

/** The payment service in the embedded profile on an ephemeral port, as a component test starts it. */
export async function startEmbeddedPayment(
  env: NodeJS.ProcessEnv,
  options: PaymentAppOptions = {},
): Promise<RunningApp> {
  return listenOnEphemeralPort(
    await createApp(loadPaymentConfig({ LOG_LEVEL: 'silent', PROFILE: 'embedded', ...env }), {
      relayPollIntervalMs: 20,
      ...options,
    }),
  );
}
