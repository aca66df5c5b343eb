import { types, type Client } from 'cassandra-driver';
import type { LedgerPaymentFacts, NotificationFacts, PendingOutboxEvent } from '../rules.ts';

/*
 * The Cassandra stores as the services write them: the payment ledger `payments` and its outbox
 * `payment_outbox` (apps/payment/src/store/cassandra-payment-store.ts,
 * libs/messaging/src/outbox/cassandra-outbox-store.ts), and the notification list `notifications`
 * (apps/notification/src/store/cassandra-notification-store.ts).
 */

/** Keyspace names go into CQL text unquoted, so only this shape is accepted (as libs/persistence does). */
export const keyspaceNamePattern = /^[a-z][a-z0-9_]{0,47}$/;

/** What a table read gives: its rows, or that the table (or its keyspace) does not exist. */
export type TableRows = { rows: types.Row[] } | { missing: string };

/** Every row of `keyspace.table`, page by page; a missing table or keyspace is told apart. */
export async function readTable(
  client: Client,
  keyspace: string,
  table: string,
  columns: string,
): Promise<TableRows> {
  if (!keyspaceNamePattern.test(keyspace)) throw new Error(`"${keyspace}" is not a keyspace name`);
  const rows: types.Row[] = [];
  let pageState: string | undefined;
  try {
    do {
      const result = await client.execute(`SELECT ${columns} FROM ${keyspace}.${table}`, [], {
        prepare: true,
        fetchSize: 1000,
        ...(pageState === undefined ? {} : { pageState }),
      });
      rows.push(...result.rows);
      pageState = result.pageState ?? undefined;
    } while (pageState);
  } catch (error) {
    if (isMissingTable(error)) return { missing: `${keyspace}.${table}` };
    throw error;
  }
  return { rows };
}

function isMissingTable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return (
    code === types.responseErrorCodes.invalid && /unconfigured table|does not exist/i.test(message ?? '')
  );
}

const text = (row: types.Row, column: string) => (row[column] as string | null | undefined) ?? null;

export function paymentsOf(rows: readonly types.Row[]): LedgerPaymentFacts[] {
  return rows.map((row) => ({
    orderId: row['order_id'] as string,
    paymentId: text(row, 'payment_id') ?? '-',
    status: text(row, 'status') ?? '-',
    chargeId: text(row, 'charge_id'),
  }));
}
export const paymentColumns = 'order_id, payment_id, status, charge_id';

export function paymentOutboxOf(store: string, rows: readonly types.Row[]): PendingOutboxEvent[] {
  return rows.map((row) => ({
    store,
    aggregateId: row['aggregate_id'] as string,
    eventId: row['event_id'] as string,
    type: row['type'] as string,
    occurredAt: (row['occurred_at'] as Date).getTime(),
  }));
}
export const outboxColumns = 'aggregate_id, event_id, type, occurred_at';

export function notificationsOf(rows: readonly types.Row[]): NotificationFacts[] {
  return rows.map((row) => ({
    id: row['id'] as string,
    orderId: text(row, 'order_id'),
    type: row['type'] as string,
  }));
}
export const notificationColumns = 'id, type, order_id';
