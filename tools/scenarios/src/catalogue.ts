import { breaker } from './scenarios/breaker.ts';
import { idempotencyKey } from './scenarios/idempotency-key.ts';
import { latePaymentRefund } from './scenarios/late-payment-refund.ts';
import { stockRace } from './scenarios/stock-race.ts';
import type { Scenario } from './scenario.ts';

/** Every scenario, by name. Each runs against any profile through the public gateway only. */
export const scenarios: readonly Scenario[] = [idempotencyKey, stockRace, latePaymentRefund, breaker];
