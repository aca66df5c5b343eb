export { topics, type TopicName } from './topics';
export { defineMessage, keyOf, type MessageDefinition, type PayloadOf } from './message-definition';
export {
  allMessageDefinitions,
  allTopics,
  findMessageByName,
  findMessageByType,
  messageRegistry,
} from './message-registry';
export {
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  orderCancellationReason,
  type OrderCancellationReason,
} from './orders-events';
export { CommitStock, ReleaseStock, ReserveStock } from './inventory-commands';
export {
  ProductChanged,
  StockCommitted,
  StockRejected,
  StockReleased,
  StockReserved,
} from './inventory-events';
export { AuthorizePayment, RefundPayment } from './payments-commands';
export { paymentMethod, paymentMethods, type PaymentMethod } from './payment-methods';
export { PaymentAuthorized, PaymentDeclined, PaymentFailed, PaymentRefunded } from './payments-events';
export { UserRegistered } from './users-events';
export { messageExamples } from './message-examples';
