import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import type { ListPosition, Notification, NotificationDraft, NotificationType } from '../domain/notification';
import type { NotificationPage, NotificationStore, RecordOutcome } from './notification-store.port';

interface NotificationRow {
  id: string;
  type: string;
  order_id: string | null;
  message: string;
  created_at: Date;
}

/**
 * Two tables, both partitioned by user:
 * - `notification_events` is the inbox: one row per processed event id, holding the notification
 *   the first delivery made of it (id, time, text). It is written with a lightweight transaction
 *   (INSERT IF NOT EXISTS): of concurrent deliveries of one event exactly one wins, and the others
 *   read the winner's notification from the LWT's answer.
 * - `notifications` is the list, clustered newest first. Every delivery then writes the winner's
 *   notification there: a plain, idempotent upsert of one and the same row, so duplicates add
 *   nothing, and a delivery that failed between the two writes is completed by the next one.
 */
export class CassandraNotificationStore implements NotificationStore {
  private readonly events: string;
  private readonly notifications: string;

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.events = `${keyspace}.notification_events`;
    this.notifications = `${keyspace}.notifications`;
  }

  async ensureSchema(): Promise<void> {
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.events} (
        user_id text, event_id text, notification_id text, created_at timestamp,
        type text, order_id text, message text,
        PRIMARY KEY ((user_id), event_id)
      )`,
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.notifications} (
        user_id text, created_at timestamp, id text, event_id text,
        type text, order_id text, message text,
        PRIMARY KEY ((user_id), created_at, id)
      ) WITH CLUSTERING ORDER BY (created_at DESC, id DESC)`,
    );
  }

  async recordOnce(eventId: string, draft: NotificationDraft): Promise<RecordOutcome> {
    const mine: Notification = {
      id: randomUUID(),
      type: draft.type,
      orderId: draft.orderId,
      message: draft.message,
      createdAt: this.clock(),
    };
    const claim = (
      await this.client.execute(
        `INSERT INTO ${this.events} (user_id, event_id, notification_id, created_at, type, order_id, message)
         VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS`,
        [draft.userId, eventId, mine.id, mine.createdAt, mine.type, mine.orderId, mine.message],
        { prepare: true },
      )
    ).first();
    const won = claim?.['[applied]'] === true;
    // A losing LWT answers with the existing row: the winner's notification, which this delivery writes again.
    const notification = won ? mine : winnerOf(eventId, claim);
    await this.client.execute(
      `INSERT INTO ${this.notifications} (user_id, created_at, id, event_id, type, order_id, message)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        draft.userId,
        notification.createdAt,
        notification.id,
        eventId,
        notification.type,
        notification.orderId,
        notification.message,
      ],
      { prepare: true },
    );
    return won ? 'recorded' : 'duplicate';
  }

  async listOf(userId: string, page: { limit: number; after?: ListPosition }): Promise<NotificationPage> {
    const columns = 'id, type, order_id, message, created_at';
    // One row more than asked tells whether a next page exists.
    const result = page.after
      ? await this.client.execute(
          `SELECT ${columns} FROM ${this.notifications}
           WHERE user_id = ? AND (created_at, id) < (?, ?) LIMIT ?`,
          [userId, page.after.createdAt, page.after.id, page.limit + 1],
          { prepare: true },
        )
      : await this.client.execute(
          `SELECT ${columns} FROM ${this.notifications} WHERE user_id = ? LIMIT ?`,
          [userId, page.limit + 1],
          { prepare: true },
        );
    const rows = result.rows as unknown as NotificationRow[];
    const items = rows.slice(0, page.limit).map(notificationOf);
    const last = items[items.length - 1];
    return {
      items,
      next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }
}

function winnerOf(eventId: string, claim: Record<string, unknown> | null): Notification {
  const id = claim?.['notification_id'];
  const createdAt = claim?.['created_at'];
  if (typeof id !== 'string' || !(createdAt instanceof Date))
    throw new Error(`the inbox row of event ${eventId} has no notification`);
  return notificationOf({ ...(claim as unknown as NotificationRow), id, created_at: createdAt });
}

function notificationOf(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    orderId: row.order_id,
    message: row.message,
    createdAt: row.created_at,
  };
}
