import { Logger } from '@nestjs/common';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { Counter, Gauge, type Registry } from 'prom-client';
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
  metrics?: Registry;
}

/** A mark whose order has no payment this long after: its AuthorizePayment will not come back. */
const abandonedMarkMs = 60 * 60_000;

export interface ReconcilePass {
  examined: number;
  settled: number;
}

type MarkOutcome = 'settled' | 'unsettled' | 'failed';

/** What a pass found, for dashboards and for the alert on work that stays unsettled. */
class ReconcilerMetrics {
  private readonly marks: Counter<'outcome'>;
  private readonly oldest: Gauge;

  constructor(registry: Registry) {
    this.marks = new Counter({
      name: 'payment_reconciled_marks_total',
      help: 'Unsettled payments the reconciler looked at, by outcome: settled, still unsettled (e.g. a refund the provider refused), failed',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.oldest = new Gauge({
      name: 'payment_unsettled_oldest_age_seconds',
      help: 'Age of the oldest payment the last reconciler pass left unsettled, 0 when none: alert when it keeps growing (a refund or a charge in doubt the provider never settles)',
      registers: [registry],
    });
  }

  record(marks: readonly UnsettledMark[], outcomes: readonly MarkOutcome[], now: Date): void {
    for (const outcome of outcomes) this.marks.inc({ outcome });
    const left = marks.filter((_, index) => outcomes[index] !== 'settled');
    const oldest = Math.min(now.getTime(), ...left.map((mark) => mark.since.getTime()));
    this.oldest.set((now.getTime() - oldest) / 1000);
  }
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
  private readonly metrics: ReconcilerMetrics | undefined;
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
    this.metrics = options.metrics && new ReconcilerMetrics(options.metrics);
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
    const outcomes = await Promise.all(due.map((mark) => this.reconcileLogged(mark, now)));
    this.metrics?.record(due, outcomes, now);
    return { examined: due.length, settled: outcomes.filter((outcome) => outcome === 'settled').length };
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

  private async reconcileLogged(mark: UnsettledMark, now: Date): Promise<MarkOutcome> {
    try {
      return (await this.reconcile(mark, now)) ? 'settled' : 'unsettled';
    } catch (error) {
      this.logger.warn(`order ${mark.orderId}: reconciling failed: ${String(error)}`);
      return 'failed';
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
