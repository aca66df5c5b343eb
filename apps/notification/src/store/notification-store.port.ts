import type { ListPosition, Notification, NotificationDraft } from '../domain/notification';

export const NOTIFICATION_STORE = Symbol('NotificationStore');

/** 'recorded' by the delivery that created it; 'duplicate' for every other delivery of the same event. */
export type RecordOutcome = 'recorded' | 'duplicate';

export interface NotificationPage {
  items: Notification[];
  /** Where the next page starts; null when this page holds the last notification. */
  next: ListPosition | null;
}

/**
 * Each user's notifications, newest first. The in-memory and Cassandra adapters pass one contract
 * suite (test/contracts/notification-store.contract.ts).
 */
export interface NotificationStore {
  /** Creates what the store needs (tables) when missing. */
  ensureSchema(): Promise<void>;
  /**
   * Stores the notification of event `eventId` once, however often and however concurrently the
   * event is delivered. A call that throws may have done part of the work; calling again with the
   * same event completes it without a second notification.
   */
  recordOnce(eventId: string, draft: NotificationDraft): Promise<RecordOutcome>;
  /** Up to `limit` notifications of `userId`, newest first, those after `after` when given. */
  listOf(userId: string, page: { limit: number; after?: ListPosition }): Promise<NotificationPage>;
}
