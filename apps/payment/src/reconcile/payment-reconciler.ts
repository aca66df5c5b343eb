import { Logger } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { Payment } from '../domain/payment';
import type { PaymentSettlement } from '../settle/payment-settlement';
import type { PaymentStore, UnsettledMark } from '../store/payment-store.port';

export interface PaymentReconcilerOptions {
  intervalMs: number;
  /** Marks younger than this are left alone: the delivery that made them may still be at work. */
  settleAfterMs: number;
  /** Marks handled per pass, concurrently. */
  batchSize?: number;
  clock?: () => Date;
}

/** A mark whose order has no payment this long after: its AuthorizePayment will not come back. */
const abandonedMarkMs = 60 * 60_000;

export interface ReconcilePass {
  examined: number;
  settled: number;
}

/**
 * Settles what the command handlers left unsettled: payments whose charge is in doubt (the
 * provider is asked again with the same idempotency key, so it answers with the original charge's
 * outcome, however late), refunds the provider did not make yet, and outcomes stored without their
 * events (a crash between the two writes). Every instance runs one: all they do is idempotent
 * (provider keys, lightweight transactions, event ids fixed per outcome), so two reconcilers on one
 * payment do no harm, only duplicate work.
 */
export class PaymentReconciler {
  private readonly logger = new Logger('payment.reconciler');
  private readonly tracer = trace.getTracer('payment.reconciler');
  private readonly batchSize: number;
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly store: PaymentStore,
    private readonly settlement: PaymentSettlement,
    private readonly options: PaymentReconcilerOptions,
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Lets the pass in flight finish; no other starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the marks due; the loop calls it, tests call it directly. */
  async reconcileDue(): Promise<ReconcilePass> {
    const now = this.clock();
    const due = await this.store.unsettledBefore(
      new Date(now.getTime() - this.options.settleAfterMs),
      this.batchSize,
    );
    const settled = await Promise.all(due.map((mark) => this.reconcileLogged(mark, now)));
    return { examined: due.length, settled: settled.filter(Boolean).length };
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.reconcileDue()
        .then(
          () => undefined,
          (error: unknown) => this.logger.warn(`reconciling failed: ${String(error)}`),
        )
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.options.intervalMs);
    // Stopping is close()'s job; a forgotten timer must not keep a process alive.
    this.timer.unref();
  }

  private async reconcileLogged(mark: UnsettledMark, now: Date): Promise<boolean> {
    try {
      return await this.reconcile(mark, now);
    } catch (error) {
      this.logger.warn(`order ${mark.orderId}: reconciling failed: ${String(error)}`);
      return false;
    }
  }

  private async reconcile(mark: UnsettledMark, now: Date): Promise<boolean> {
    const payment = await this.store.find(mark.orderId);
    if (!payment) {
      // Marked by an AuthorizePayment that stopped before its claim; its redelivery claims and settles.
      if (now.getTime() - mark.since.getTime() >= abandonedMarkMs) await this.store.markSettled(mark);
      return false;
    }
    return this.inSpanOf(payment, async () => {
      const current = payment.status === 'PENDING' ? await this.settlement.charge(payment, 'again') : payment;
      return this.settlement.finish(current, mark);
    });
  }

  /** Runs in a span of the trace of the command that created the payment, so a late outcome shows there. */
  private async inSpanOf<T>(payment: Payment, work: () => Promise<T>): Promise<T> {
    const carrier: Record<string, string> = {};
    if (payment.origin.traceparent) carrier['traceparent'] = payment.origin.traceparent;
    if (payment.origin.tracestate) carrier['tracestate'] = payment.origin.tracestate;
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    return this.tracer.startActiveSpan(
      'reconcile payment',
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'payment.order_id': payment.orderId, 'payment.status': payment.status },
      },
      parent,
      async (span) => {
        try {
          return await work();
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
