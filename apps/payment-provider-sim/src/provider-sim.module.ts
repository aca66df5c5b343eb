import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@platform/observability';
import { ChargeLedger } from './charges/charge-ledger';
import { ChargesController } from './charges/charges.controller';
import { CreateCharge } from './charges/create-charge';
import type { ProviderSimConfig } from './config';
import { Faults } from './faults/faults';
import { FaultsController } from './faults/faults.controller';
import { IdempotentRequests } from './idempotency/idempotent-requests';
import { CreateRefund } from './refunds/create-refund';
import { RefundsController } from './refunds/refunds.controller';

/** Everything createApp built before Nest starts. */
export interface ProviderSimComponents {
  ledger: ChargeLedger;
  createCharge: CreateCharge;
  createRefund: CreateRefund;
  idempotency: IdempotentRequests;
  faults: Faults;
}

@Module({})
export class ProviderSimModule {
  static forRoot(config: ProviderSimConfig, components: ProviderSimComponents): DynamicModule {
    return {
      module: ProviderSimModule,
      // Nothing to check for readiness: every record lives in memory.
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'payment-provider-sim',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
        }),
      ],
      controllers: [ChargesController, RefundsController, FaultsController],
      providers: [
        { provide: ChargeLedger, useValue: components.ledger },
        { provide: CreateCharge, useValue: components.createCharge },
        { provide: CreateRefund, useValue: components.createRefund },
        { provide: IdempotentRequests, useValue: components.idempotency },
        { provide: Faults, useValue: components.faults },
      ],
    };
  }
}
