import { OrderCancelled, OrderConfirmed, UserRegistered } from '@platform/contracts';
import { handlerOf, type MessageHandlerRegistration } from '@platform/messaging';
import { orderCancelledNotice, orderConfirmedNotice, welcomeNotice } from '../domain/notification-messages';
import type { NotificationStore } from '../store/notification-store.port';

/**
 * One notification per event. The store dedupes by the event's `ce_id`; a handler that throws (the
 * store is down) leaves the event to the bus, which delivers it again through the retry topics.
 */
export function notificationHandlers(store: NotificationStore): MessageHandlerRegistration[] {
  return [
    handlerOf(OrderConfirmed, async (message) => {
      await store.recordOnce(message.id, orderConfirmedNotice(message.data));
    }),
    handlerOf(OrderCancelled, async (message) => {
      await store.recordOnce(message.id, orderCancelledNotice(message.data));
    }),
    handlerOf(UserRegistered, async (message) => {
      await store.recordOnce(message.id, welcomeNotice(message.data));
    }),
  ];
}
