export type NotificationType = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | 'WELCOME';

/** What an event tells its user, before the store gives it an id and a time. */
export interface NotificationDraft {
  userId: string;
  type: NotificationType;
  /** null for notices about no order (the welcome). */
  orderId: string | null;
  message: string;
}

/** One notice in a user's list, as GET /api/notifications shows it. */
export interface Notification {
  id: string;
  type: NotificationType;
  orderId: string | null;
  message: string;
  createdAt: Date;
}

/** Where a page of a user's list ends: the clustering key of its last notification (newest first). */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

/** Newest first; ties in time are broken by id, descending, as the Cassandra clustering order does. */
export function isBefore(notification: ListPosition, position: ListPosition): boolean {
  const byTime = notification.createdAt.getTime() - position.createdAt.getTime();
  return byTime < 0 || (byTime === 0 && notification.id < position.id);
}

export function newestFirst(left: ListPosition, right: ListPosition): number {
  if (isBefore(left, right)) return 1;
  if (isBefore(right, left)) return -1;
  return 0;
}
