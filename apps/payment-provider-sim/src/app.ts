import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '@platform/http';
import { ChargeLedger } from './charges/charge-ledger';
import { CreateCharge } from './charges/create-charge';
import type { ProviderSimConfig } from './config';
import { Faults } from './faults/faults';
import { IdempotentRequests } from './idempotency/idempotent-requests';
import { ProviderSimModule } from './provider-sim.module';
import { CreateRefund } from './refunds/create-refund';
import { type SimulatorRuntime, systemRuntime } from './runtime';

/**
 * The payment provider simulator, as main.ts, the embedded runner and the tests start it. Its
 * charges, refunds and idempotency keys live in memory: a restart forgets them.
 */
export async function createApp(
  config: ProviderSimConfig,
  runtime: Partial<SimulatorRuntime> = {},
): Promise<INestApplication> {
  const simulatorRuntime: SimulatorRuntime = { ...systemRuntime, ...runtime };
  const ledger = new ChargeLedger();
  const faults = new Faults(
    { latencyMs: config.FAULT_LATENCY_MS, errorRate: config.FAULT_ERROR_RATE, outage: config.FAULT_OUTAGE },
    simulatorRuntime,
  );
  return createHttpApp(
    ProviderSimModule.forRoot(config, {
      ledger,
      createCharge: new CreateCharge(ledger, simulatorRuntime, config.SLOW_TOKEN_DELAY_MS),
      createRefund: new CreateRefund(ledger, simulatorRuntime),
      idempotency: new IdempotentRequests(),
      faults,
    }),
    { apiTitle: 'payment-provider-sim' },
  );
}
