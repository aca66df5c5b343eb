import { types, type Client } from 'cassandra-driver';
import { CassandraOutboxStore, type StoredOutboxEvent } from '@platform/messaging';
import type { Decision, NewPayment, Payment, PaymentStatus, Refund } from '../domain/payment';
import { decided, pendingPayment, refunded } from '../domain/payment';
import { PaymentNotFoundError, type PaymentStore } from './payment-store.port';

const columns =
  'order_id, payment_id, user_id, amount_cents, currency, payment_method, status, created_at, charge_id, reason, detail, refund_id';

/**
 * `payments` holds one row per order. Every write of it is a lightweight transaction: the claim
 * (`INSERT IF NOT EXISTS`) lets one delivery of AuthorizePayment create the payment id all others
 * reuse; the decision (`IF status = 'PENDING'`) and the refund (`IF status = 'AUTHORIZED'`) are
 * stored once, and a losing LWT answers with the row as it is.
 *
 * Events go to the outbox table (partitioned by order id too) after their state change: Cassandra
 * refuses conditional batches across tables. A crash in between loses no event: the command is
 * then delivered again, finds the decided row, and emits its event.
 */
export class CassandraPaymentStore implements PaymentStore {
  private readonly payments: string;
  readonly outbox: CassandraOutboxStore;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.payments = `${keyspace}.payments`;
    this.outbox = new CassandraOutboxStore(client, `${keyspace}.payment_outbox`);
  }

  async ensureSchema(): Promise<void> {
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.payments} (
        order_id text PRIMARY KEY, payment_id text, user_id text, amount_cents int, currency text,
        payment_method text, status text, created_at timestamp, charge_id text, reason text,
        detail text, refund_id text
      )`,
    );
    await this.outbox.ensureIndexes();
  }

  async claim(draft: NewPayment): Promise<Payment> {
    const mine = pendingPayment(draft);
    const result = await this.client.execute(
      `INSERT INTO ${this.payments} (order_id, payment_id, user_id, amount_cents, currency, payment_method, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
      [
        mine.orderId,
        mine.paymentId,
        mine.userId,
        mine.amountCents,
        mine.currency,
        mine.paymentMethod,
        mine.status,
        mine.createdAt,
      ],
      { prepare: true },
    );
    const row = result.first();
    return row?.['[applied]'] === true ? mine : paymentOf(row);
  }

  async decide(orderId: string, decision: Decision): Promise<Payment> {
    const current = await this.require(orderId);
    if (current.status !== 'PENDING') return current;
    const next = decided(current, decision);
    return this.compareAndSet(
      orderId,
      `UPDATE ${this.payments} SET status = ?, charge_id = ?, reason = ?, detail = ?
       WHERE order_id = ? IF status = 'PENDING'`,
      [next.status, next.chargeId, next.reason, next.detail, orderId],
      next,
    );
  }

  async markRefunded(orderId: string, refund: Refund): Promise<Payment> {
    const current = await this.require(orderId);
    if (current.status !== 'AUTHORIZED') return current;
    const next = refunded(current, refund);
    return this.compareAndSet(
      orderId,
      `UPDATE ${this.payments} SET status = 'REFUNDED', refund_id = ?
       WHERE order_id = ? IF status = 'AUTHORIZED'`,
      [refund.refundId, orderId],
      next,
    );
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
  }

  private async require(orderId: string): Promise<Payment> {
    const payment = await this.find(orderId);
    if (!payment) throw new PaymentNotFoundError(orderId);
    return payment;
  }

  /** Applies the LWT; when another writer won, its answer carries the row as that writer left it. */
  private async compareAndSet(
    orderId: string,
    query: string,
    params: unknown[],
    next: Payment,
  ): Promise<Payment> {
    const row = (await this.client.execute(query, params, { prepare: true })).first();
    if (row?.['[applied]'] === true) return next;
    // A losing conditional UPDATE answers only the columns of its condition: read the whole row.
    return this.require(orderId);
  }
}

type Row = types.Row | null;

function paymentOf(row: Row): Payment {
  if (!row) throw new Error('Cassandra answered a payment LWT without a row');
  const text = (name: string) => (row[name] as string | null | undefined) ?? null;
  return {
    orderId: row['order_id'] as string,
    paymentId: row['payment_id'] as string,
    userId: row['user_id'] as string,
    amountCents: row['amount_cents'] as number,
    currency: row['currency'] as string,
    paymentMethod: row['payment_method'] as string,
    status: row['status'] as PaymentStatus,
    createdAt: row['created_at'] as Date,
    chargeId: text('charge_id'),
    reason: text('reason'),
    detail: text('detail'),
    refundId: text('refund_id'),
  };
}
