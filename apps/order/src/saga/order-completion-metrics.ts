import { Histogram, type Registry } from 'prom-client';
import type { SagaState } from '@platform/saga';
import { isFinalStatus } from '../domain/order';
import type { OrderSagaData } from '../domain/order-saga-data';
import { orderStatusOf } from '../domain/order-view';

/**
 * Seconds from placement to the final status; the latency SLO (POST → CONFIRMED) reads it, its
 * threshold (2.5 s) is one of these bounds. From a few tens of milliseconds in the embedded profile
 * to the deadlines' tens of seconds (payment 8 s, stock 30 s).
 */
const buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * `order_completion_duration_seconds{outcome, reason}`: how long each order took from placement to
 * its final status (`outcome`: CONFIRMED, CANCELLED or COMPENSATION_FAILED; `reason`: the saga's
 * failure reason, such as PAYMENT_DECLINED or TIMEOUT, `none` for a confirmed order). Observed once
 * per order, by the orchestrator that saved the transition into the final status; measured on the
 * saga's clock from its start, which is saved in the insert that places the order. The observer
 * returns that duration (ms) when the transition decided the order, for the admission limit too.
 */
export function orderCompletionMetrics(
  registry: Registry,
): (state: SagaState<OrderSagaData>) => number | undefined {
  const duration = new Histogram({
    name: 'order_completion_duration_seconds',
    help: 'Seconds from an order placed to its final status, by outcome (CONFIRMED, CANCELLED, COMPENSATION_FAILED) and reason',
    labelNames: ['outcome', 'reason'] as const,
    buckets,
    registers: [registry],
  });
  return (state) => {
    const decided = state.history.at(-1);
    const started = state.history[0];
    if (!decided || !started || decided.from === null) return undefined;
    const outcome = orderStatusOf[decided.to];
    // Only the transition that decides the order: later ones (a late reply refunded) keep its status.
    if (!isFinalStatus(outcome) || isFinalStatus(orderStatusOf[decided.from])) return undefined;
    const ms = Math.max(0, decided.at - started.at);
    duration.observe(
      { outcome, reason: outcome === 'CONFIRMED' ? 'none' : (state.reason ?? 'none') },
      ms / 1000,
    );
    return ms;
  };
}
