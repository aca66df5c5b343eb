import { randomUUID } from 'node:crypto';
import {
  InMemoryOutboxStore,
  outboxFieldsOf,
  type OutboxDocument,
  type StoredOutboxEvent,
} from '@platform/messaging';
import {
  type Decision,
  type EventOrigin,
  type NewPayment,
  type Payment,
  type Refund,
  type VoidedPaymentDraft,
  decided,
  pendingPayment,
  refunded,
  voidedPayment,
  withRefundRequested,
} from '../domain/payment';
import { PaymentNotFoundError, type PaymentStore, type UnsettledMark } from './payment-store.port';

/**
 * The embedded profile's store. Each method checks and changes with no await in between, so
 * concurrent deliveries cannot race. Its outbox reads the same per-order documents.
 */
export class InMemoryPaymentStore implements PaymentStore {
  private readonly payments = new Map<string, Payment>();
  private readonly marks = new Map<string, UnsettledMark>();
  private readonly outboxDocuments = new Map<string, OutboxDocument>();
  readonly outbox = new InMemoryOutboxStore(this.outboxDocuments);

  async ensureSchema(): Promise<void> {
    // Maps need no schema.
  }

  async claim(draft: NewPayment): Promise<Payment> {
    const existing = this.payments.get(draft.orderId);
    if (existing) return copyOf(existing);
    return this.store(pendingPayment(draft));
  }

  async decide(orderId: string, decision: Decision): Promise<Payment> {
    const payment = this.require(orderId);
    return payment.status === 'PENDING' ? this.store(decided(payment, decision)) : copyOf(payment);
  }

  async requestRefund(orderId: string, voided: VoidedPaymentDraft, origin: EventOrigin): Promise<Payment> {
    const payment = this.payments.get(orderId);
    return this.store(payment ? withRefundRequested(payment, origin) : voidedPayment(voided));
  }

  async markRefunded(orderId: string, refund: Refund): Promise<Payment> {
    const payment = this.require(orderId);
    return payment.status === 'AUTHORIZED' ? this.store(refunded(payment, refund)) : copyOf(payment);
  }

  async find(orderId: string): Promise<Payment | undefined> {
    const payment = this.payments.get(orderId);
    return payment && copyOf(payment);
  }

  async emit(orderId: string, event: StoredOutboxEvent): Promise<void> {
    const document = this.outboxDocuments.get(orderId) ?? {};
    this.outboxDocuments.set(orderId, {
      ...document,
      ...outboxFieldsOf([...(document.outbox ?? []), structuredClone(event)]),
    });
    this.outbox.written.notify({ aggregateId: orderId, events: [event] });
  }

  async markUnsettled(orderId: string, now: Date): Promise<UnsettledMark> {
    const mark = { orderId, token: randomUUID(), since: this.marks.get(orderId)?.since ?? now };
    this.marks.set(orderId, mark);
    return { ...mark };
  }

  async markSettled(mark: UnsettledMark): Promise<void> {
    if (this.marks.get(mark.orderId)?.token === mark.token) this.marks.delete(mark.orderId);
  }

  async unsettledBefore(cutoff: Date, limit: number): Promise<UnsettledMark[]> {
    return [...this.marks.values()]
      .filter((mark) => mark.since <= cutoff)
      .slice(0, limit)
      .map((mark) => ({ ...mark }));
  }

  private require(orderId: string): Payment {
    const payment = this.payments.get(orderId);
    if (!payment) throw new PaymentNotFoundError(orderId);
    return payment;
  }

  private store(payment: Payment): Payment {
    this.payments.set(payment.orderId, payment);
    return copyOf(payment);
  }
}

const copyOf = (payment: Payment): Payment => structuredClone(payment);
