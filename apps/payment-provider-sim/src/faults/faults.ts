import { StripeError } from '../http-edge/stripe-error';
import type { SimulatorRuntime } from '../runtime';
import { type FaultSettings, noFaults } from './fault-settings';

/**
 * The faults in force, applied before a `/v1` call does anything, so an injected 500 or 503 has
 * made no charge and saved no idempotent reply: the caller's retry with the same key is honoured.
 */
export class Faults {
  private current: FaultSettings;

  constructor(
    initial: FaultSettings,
    private readonly runtime: SimulatorRuntime,
  ) {
    this.current = { ...initial };
  }

  settings(): FaultSettings {
    return { ...this.current };
  }

  replace(settings: FaultSettings): FaultSettings {
    this.current = { ...settings };
    return this.settings();
  }

  clear(): FaultSettings {
    return this.replace(noFaults);
  }

  async beforeCall(): Promise<void> {
    const { latencyMs, errorRate, outage } = this.current;
    if (outage)
      throw new StripeError(503, {
        type: 'api_error',
        message: 'The provider is unavailable (simulated outage).',
      });
    if (latencyMs > 0) await this.runtime.sleep(latencyMs);
    if (errorRate > 0 && this.runtime.random() < errorRate)
      throw new StripeError(500, {
        type: 'api_error',
        message: 'An error occurred on the provider (simulated).',
      });
  }
}
