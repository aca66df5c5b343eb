import { breaker } from './scenarios/breaker.ts';
import { crashMidFlight } from './scenarios/crash-mid-flight.ts';
import { dlqReplay } from './scenarios/dlq-replay.ts';
import { duplicateDelivery } from './scenarios/duplicate-delivery.ts';
import { idempotencyKey } from './scenarios/idempotency-key.ts';
import { latePaymentRefund } from './scenarios/late-payment-refund.ts';
import { stockRace } from './scenarios/stock-race.ts';
import type { Scenario } from './scenario.ts';

/**
 * Every scenario, by name. Each runs through the public gateway; those that need Kafka (they write
 * to the topics themselves) run against the local profile or compose.
 */
export const scenarios: readonly Scenario[] = [
  idempotencyKey,
  stockRace,
  latePaymentRefund,
  breaker,
  duplicateDelivery,
  dlqReplay,
  crashMidFlight,
];
