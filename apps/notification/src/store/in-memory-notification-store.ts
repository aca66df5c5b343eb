import { randomUUID } from 'node:crypto';
import {
  isBefore,
  newestFirst,
  type ListPosition,
  type Notification,
  type NotificationDraft,
} from '../domain/notification';
import type { NotificationPage, NotificationStore, RecordOutcome } from './notification-store.port';

/** The embedded profile's store: check and insert happen with no await between them, so duplicates cannot race. */
export class InMemoryNotificationStore implements NotificationStore {
  private readonly processedEvents = new Set<string>();
  private readonly byUser = new Map<string, Notification[]>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async ensureSchema(): Promise<void> {
    // Maps need no schema.
  }

  async recordOnce(eventId: string, draft: NotificationDraft): Promise<RecordOutcome> {
    const key = `${draft.userId}\u0000${eventId}`;
    if (this.processedEvents.has(key)) return 'duplicate';
    this.processedEvents.add(key);
    const notification: Notification = {
      id: randomUUID(),
      type: draft.type,
      orderId: draft.orderId,
      message: draft.message,
      createdAt: this.clock(),
    };
    const list = this.byUser.get(draft.userId) ?? [];
    list.push(notification);
    list.sort(newestFirst);
    this.byUser.set(draft.userId, list);
    return 'recorded';
  }

  async listOf(userId: string, page: { limit: number; after?: ListPosition }): Promise<NotificationPage> {
    const { after } = page;
    const remaining = (this.byUser.get(userId) ?? []).filter(
      (notification) => after === undefined || isBefore(notification, after),
    );
    const items = remaining.slice(0, page.limit).map((notification) => ({ ...notification }));
    const last = items[items.length - 1];
    return {
      items,
      next: remaining.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }
}
