import { Logger } from '@nestjs/common';
import type { SagaOrchestrator } from '@platform/saga';
import type { OrderSagaData } from '../domain/order-saga-data';
import type { OrdersRepository } from '../orders/orders.repository.port';
import { orderSagaDataOf } from './order-saga-data-of';

/** Orders looked at per sweep; the next tick takes the rest. */
const sweepBatch = 100;

/**
 * An order is inserted first and its saga started right after; a process that dies in between
 * leaves an order without a saga. This sweep starts those, once they are older than `graceMs` (so
 * it does not race a start still in progress; should it, the saga store lets one start win).
 */
export class StartMissedSagas {
  private readonly logger = new Logger('StartMissedSagas');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly orchestrator: Pick<SagaOrchestrator<OrderSagaData>, 'start'>,
    private readonly graceMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Resolves the number of sagas started. */
  async run(): Promise<number> {
    const placedBefore = new Date(this.clock().getTime() - this.graceMs);
    const missed = await this.orders.withoutSaga(placedBefore, sweepBatch);
    let started = 0;
    for (const { order, traceparent } of missed) {
      try {
        await this.orchestrator.start(order.orderId, orderSagaDataOf(order), traceparent ?? undefined);
        started += 1;
      } catch (error) {
        // One order's failure must not hold up the others; the next sweep tries it again.
        this.logger.warn(`order ${order.orderId}: its saga did not start: ${String(error)}`);
      }
    }
    if (started > 0) this.logger.log(`started the saga of ${started} order(s) placed without one`);
    return started;
  }
}
