/** Every topic of docs/events.md#topics, declared once. Retry and dead-letter topics derive from these. */
export const topics = {
  ordersEvents: 'orders.events.v1',
  inventoryCommands: 'inventory.commands.v1',
  inventoryEvents: 'inventory.events.v1',
  paymentsCommands: 'payments.commands.v1',
  paymentsEvents: 'payments.events.v1',
  usersEvents: 'users.events.v1',
} as const;

export type TopicName = (typeof topics)[keyof typeof topics];
