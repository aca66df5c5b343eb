import { types, type Client } from 'cassandra-driver';
import { CassandraOutboxStore, type StoredOutboxEvent } from '@platform/messaging';
import type {
  Decision,
  EventOrigin,
  NewPayment,
  Payment,
  PaymentStatus,
  Refund,
  VoidedPaymentDraft,
} from '../domain/payment';
import { decided, pendingPayment, voidedPayment } from '../domain/payment';
import { CassandraUnsettledMarks } from './cassandra-unsettled-marks';
import { PaymentNotFoundError, type PaymentStore, type UnsettledMark } from './payment-store.port';

const columns =
  'order_id, payment_id, user_id, amount_cents, currency, payment_method, status, created_at, charge_id, reason, detail, refund_id, refund_requested, origin, refund_origin';

/**
 * `payments` holds one row per order. Every write of it is a lightweight transaction: the claim
 * (`INSERT IF NOT EXISTS`) lets one delivery of AuthorizePayment create the payment id all others
 * reuse; the decision (`IF status = 'PENDING'`) and the refund (`IF status = 'AUTHORIZED'`) are
 * stored once; a refund request is serialised with the decision, so whoever decides sees it. Each
 * write is followed by a serial read, which returns the row with every committed change.
 *
 * Events go to the outbox table (partitioned by order id too) after their state change: Cassandra
 * refuses conditional batches across tables. A crash in between loses no event: the order stays
 * marked unsettled (see CassandraUnsettledMarks) and the command's redelivery or the reconciler
 * emits the event of the stored outcome again, with the same id.
 */
export class CassandraPaymentStore implements PaymentStore {
  private readonly payments: string;
  private readonly marks: CassandraUnsettledMarks;
  readonly outbox: CassandraOutboxStore;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.payments = `${keyspace}.payments`;
    this.marks = new CassandraUnsettledMarks(client, `${keyspace}.unsettled_payments`);
    this.outbox = new CassandraOutboxStore(client, `${keyspace}.payment_outbox`);
  }

  async ensureSchema(): Promise<void> {
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.payments} (
        order_id text PRIMARY KEY, payment_id text, user_id text, amount_cents bigint, currency text,
        payment_method text, status text, created_at timestamp, charge_id text, reason text,
        detail text, refund_id text, refund_requested boolean, origin text, refund_origin text
      )`,
    );
    await this.marks.ensureSchema();
    await this.outbox.ensureIndexes();
  }

  async claim(draft: NewPayment): Promise<Payment> {
    const mine = pendingPayment(draft);
    const applied = await this.insertIfNotExists(mine);
    return applied ? mine : this.require(draft.orderId);
  }

  async decide(orderId: string, decision: Decision): Promise<Payment> {
    const current = await this.require(orderId);
    if (current.status !== 'PENDING') return current;
    const next = decided(current, decision);
    await this.execute(
      `UPDATE ${this.payments} SET status = ?, charge_id = ?, reason = ?, detail = ?
       WHERE order_id = ? IF status = 'PENDING'`,
      [next.status, next.chargeId, next.reason, next.detail, orderId],
    );
    return this.require(orderId);
  }

  async requestRefund(orderId: string, voided: VoidedPaymentDraft, origin: EventOrigin): Promise<Payment> {
    const tombstone = voidedPayment(voided);
    if (await this.insertIfNotExists(tombstone)) return tombstone;
    // A lightweight transaction too: it is ordered with the decision's, never lost between its read and write.
    await this.execute(
      `UPDATE ${this.payments} SET refund_requested = true, refund_origin = ? WHERE order_id = ? IF EXISTS`,
      [JSON.stringify(origin), orderId],
    );
    return this.require(orderId);
  }

  async markRefunded(orderId: string, refund: Refund): Promise<Payment> {
    await this.execute(
      `UPDATE ${this.payments} SET status = 'REFUNDED', refund_id = ?
       WHERE order_id = ? IF status = 'AUTHORIZED'`,
      [refund.refundId, orderId],
    );
    return this.require(orderId);
  }

  async find(orderId: string): Promise<Payment | undefined> {
    const result = await this.client.execute(
      `SELECT ${columns} FROM ${this.payments} WHERE order_id = ?`,
      [orderId],
      // A serial read sees what the lightweight transactions committed, an in-progress one included.
      { prepare: true, consistency: types.consistencies.localSerial },
    );
    const row = result.first();
    return row ? paymentOf(row) : undefined;
  }

  async emit(orderId: string, event: StoredOutboxEvent): Promise<void> {
    const statements = this.outbox.insertStatementsFor(orderId, [event]);
    await this.client.batch(
      statements.map(({ query, params }) => ({ query, params })),
      { prepare: true, logged: true },
    );
    this.outbox.written.notify({ aggregateId: orderId, events: [event] });
  }

  markUnsettled(orderId: string, now: Date): Promise<UnsettledMark> {
    return this.marks.mark(orderId, now);
  }

  markSettled(mark: UnsettledMark): Promise<void> {
    return this.marks.remove(mark);
  }

  unsettledBefore(cutoff: Date, limit: number): Promise<UnsettledMark[]> {
    return this.marks.before(cutoff, limit);
  }

  private async insertIfNotExists(payment: Payment): Promise<boolean> {
    const row = await this.execute(
      `INSERT INTO ${this.payments} (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      [
        payment.orderId,
        payment.paymentId,
        payment.userId,
        payment.amountCents,
        payment.currency,
        payment.paymentMethod,
        payment.status,
        payment.createdAt,
        payment.chargeId,
        payment.reason,
        payment.detail,
        payment.refundId,
        payment.refundRequested,
        JSON.stringify(payment.origin),
        payment.refundOrigin && JSON.stringify(payment.refundOrigin),
      ],
    );
    return row?.['[applied]'] === true;
  }

  private async execute(query: string, params: unknown[]): Promise<types.Row | null> {
    return (await this.client.execute(query, params, { prepare: true })).first();
  }

  private async require(orderId: string): Promise<Payment> {
    const payment = await this.find(orderId);
    if (!payment) throw new PaymentNotFoundError(orderId);
    return payment;
  }
}

function paymentOf(row: types.Row): Payment {
  const text = (name: string) => (row[name] as string | null | undefined) ?? null;
  const amount = row['amount_cents'] as types.Long | null;
  return {
    orderId: row['order_id'] as string,
    paymentId: row['payment_id'] as string,
    userId: text('user_id'),
    amountCents: amount === null ? 0 : amount.toNumber(),
    currency: text('currency'),
    paymentMethod: text('payment_method'),
    status: row['status'] as PaymentStatus,
    createdAt: row['created_at'] as Date,
    chargeId: text('charge_id'),
    reason: text('reason'),
    detail: text('detail'),
    refundId: text('refund_id'),
    refundRequested: row['refund_requested'] === true,
    origin: originOf(text('origin')) ?? { traceparent: null, tracestate: null, correlationId: null },
    refundOrigin: originOf(text('refund_origin')),
  };
}

function originOf(json: string | null): EventOrigin | null {
  return json === null ? null : (JSON.parse(json) as EventOrigin);
}
