import { InMemoryOutboxStore, type OutboxDocument, type StoredOutboxEvent } from '@platform/messaging';
import {
  type Decision,
  type NewPayment,
  type Payment,
  type Refund,
  decided,
  pendingPayment,
  refunded,
} from '../domain/payment';
import { PaymentNotFoundError, type PaymentStore } from './payment-store.port';

/**
 * The embedded profile's store. Each method checks and changes with no await in between, so
 * concurrent deliveries cannot race. Its outbox reads the same per-order documents.
 */
export class InMemoryPaymentStore implements PaymentStore {
  private readonly payments = new Map<string, Payment>();
  private readonly outboxDocuments = new Map<string, OutboxDocument>();
  readonly outbox = new InMemoryOutboxStore(this.outboxDocuments);

  async ensureSchema(): Promise<void> {
    // Maps need no schema.
  }

  async claim(draft: NewPayment): Promise<Payment> {
    const existing = this.payments.get(draft.orderId);
    if (existing) return { ...existing };
    const payment = pendingPayment(draft);
    this.payments.set(draft.orderId, payment);
    return { ...payment };
  }

  async decide(orderId: string, decision: Decision): Promise<Payment> {
    const payment = this.payments.get(orderId);
    if (!payment) throw new PaymentNotFoundError(orderId);
    if (payment.status !== 'PENDING') return { ...payment };
    const next = decided(payment, decision);
    this.payments.set(orderId, next);
    return { ...next };
  }

  async markRefunded(orderId: string, refund: Refund): Promise<Payment> {
    const payment = this.payments.get(orderId);
    if (!payment) throw new PaymentNotFoundError(orderId);
    if (payment.status !== 'AUTHORIZED') return { ...payment };
    const next = refunded(payment, refund);
    this.payments.set(orderId, next);
    return { ...next };
  }

  async find(orderId: string): Promise<Payment | undefined> {
    const payment = this.payments.get(orderId);
    return payment && { ...payment };
  }

  async emit(orderId: string, event: StoredOutboxEvent): Promise<void> {
    const document = this.outboxDocuments.get(orderId) ?? {};
    document.outbox = [...(document.outbox ?? []), structuredClone(event)];
    this.outboxDocuments.set(orderId, document);
  }
}
