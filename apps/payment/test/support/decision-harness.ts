import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { StoredOutboxEvent } from '@platform/messaging';
import { AuthorizePaymentHandler } from '../../src/authorize/authorize-payment.handler';
import type { EventOrigin } from '../../src/domain/payment';
import type { ChargeAttempt } from '../../src/provider/charge-outcome';
import { type PaymentProvider, RefundNotDoneError } from '../../src/provider/payment-provider';
import { PaymentReconciler } from '../../src/reconcile/payment-reconciler';
import { RefundPaymentHandler } from '../../src/refund/refund-payment.handler';
import { PaymentSettlement } from '../../src/settle/payment-settlement';
import { InMemoryPaymentStore } from '../../src/store/in-memory-payment-store';

// What the handlers log is not what these tests check.
Logger.overrideLogger(false);

export const origin: EventOrigin = { traceparent: null, tracestate: null, correlationId: 'saga-1' };

/** A provider that answers charges from a script, one entry per call, and records what it was asked. */
export class ScriptedProvider implements PaymentProvider {
  readonly charges: string[] = [];
  readonly refunds: Array<{ paymentId: string; chargeId: string }> = [];
  /** The next charge calls' answers; when empty, every charge is authorized as `ch_<payment id>`. */
  chargeScript: ChargeAttempt[] = [];
  /** Refund calls that fail before one succeeds. */
  failingRefunds = 0;

  async charge(payment: { paymentId: string }): Promise<ChargeAttempt> {
    this.charges.push(payment.paymentId);
    return (
      this.chargeScript.shift() ?? {
        kind: 'answered',
        outcome: { status: 'AUTHORIZED', chargeId: `ch_${payment.paymentId}` },
      }
    );
  }

  async refund(payment: { paymentId: string; chargeId: string }): Promise<{ refundId: string }> {
    if (this.failingRefunds > 0) {
      this.failingRefunds -= 1;
      throw new RefundNotDoneError('the provider answered 500');
    }
    this.refunds.push({ paymentId: payment.paymentId, chargeId: payment.chargeId });
    return { refundId: `re_${this.refunds.length}` };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const inDoubt: ChargeAttempt = {
  kind: 'in-doubt',
  detail: 'payment-provider did not answer within 2000 ms',
};
export const refused: ChargeAttempt = {
  kind: 'not-charged',
  outcome: { status: 'FAILED', reason: 'PROVIDER_UNAVAILABLE', detail: 'connect ECONNREFUSED' },
};
export const declinedCard: ChargeAttempt = {
  kind: 'answered',
  outcome: { status: 'DECLINED', reason: 'CARD_DECLINED', detail: 'Your card was declined.' },
};

/** The handlers and the reconciler over an in-memory store, on a clock the test moves. */
export function decisionHarness(settleAfterMs = 5000) {
  let now = new Date('2026-01-01T10:00:00.000Z');
  const clock = () => now;
  const store = new InMemoryPaymentStore();
  const provider = new ScriptedProvider();
  const settlement = new PaymentSettlement(store, provider, clock);
  const metrics = new Registry();
  const harness = {
    store,
    provider,
    authorize: new AuthorizePaymentHandler(store, settlement, clock),
    refund: new RefundPaymentHandler(store, settlement, clock),
    reconciler: new PaymentReconciler(store, settlement, { intervalMs: 1000, settleAfterMs, clock, metrics }),
    /** A metric's value as the reconciler reports it. */
    metric: async (name: string, labels: Record<string, string> = {}) => {
      const values = (await metrics.getSingleMetric(name)?.get())?.values ?? [];
      const matching = values.find((value) =>
        Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted),
      );
      return matching?.value;
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    /** The events waiting in the order's outbox, as the relay would publish them. */
    events: (orderId: string): StoredOutboxEvent[] =>
      (store.outbox.documents.get(orderId)?.outbox ?? []).filter((event) => event.state === 'pending'),
    authorizeCommand: (orderId: string = randomUUID()) => ({
      orderId,
      userId: 'user-1',
      amountCents: 2599,
      currency: 'EUR',
      paymentMethod: 'tok_visa',
    }),
  };
  return harness;
}
