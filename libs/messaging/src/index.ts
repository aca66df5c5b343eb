export type { MessagePublisher, OutgoingMessage } from './message-publisher.port';
export {
  handlerOf,
  type IncomingMessage,
  type MessageBus,
  type MessageHandler,
  type MessageHandlerRegistration,
  type RunningSubscription,
  type Subscription,
} from './message-bus.port';
export type { ConsumedRecord, WireRecord } from './wire-record';
export { InvalidMessageError } from './invalid-message.error';
export { catalogWithTopicAliases, contractCatalog, type MessageCatalog } from './message-catalog';
export { checkOutgoingMessage } from './message-contract-check';
export { fromKafkaMessage, toKafkaMessage, type ReceivedEnvelope } from './envelope/cloud-event-envelope';
export { cloudEventsSpecVersion, envelopeHeaders } from './envelope/envelope-headers';
export { deadLetterHeaders } from './consuming/dead-letter-record';
export { defaultRetryPolicy, retryHeaders, type RetryPolicy } from './consuming/retry-topics';
export { deadLetterTopicOf, retryTopicOf, retryTopicsOf } from './topic-names';
export { InMemoryMessageBus, type InMemoryMessageBusOptions } from './in-memory/in-memory-message-bus';
export { KafkaMessageBus, type KafkaMessageBusOptions } from './kafka/kafka-message-bus';
export { KafkaMessagePublisher } from './kafka/kafka-message-publisher';
export { declareTopics, type TopicAdmin, type TopicDeclarationOptions } from './kafka/declare-topics';
export { currentTraceContext } from './envelope/trace-context';
export type { StoredOutboxEvent, OutboxDocument, ClaimedOutboxEvent } from './outbox/outbox-event';
export { newOutboxEvent, type OutboxEventOrigin } from './outbox/new-outbox-event';
export { outboxFieldsOf, withOutboxAppended } from './outbox/outbox-fields';
export { OutboxSignal, type WrittenOutboxEvents } from './outbox/outbox-signal';
export {
  OUTBOX_STORE,
  type OutboxStore,
  type ClaimRequest,
  type HeadClaimRequest,
  type FailedAttempt,
} from './outbox/outbox-store.port';
export { MongoOutboxStore, type MongoOutboxStoreOptions } from './outbox/mongo-outbox-store';
export { InMemoryOutboxStore } from './outbox/in-memory-outbox-store';
export { CassandraOutboxStore, type BatchStatement } from './outbox/cassandra-outbox-store';
export {
  OutboxRelay,
  routeByContract,
  type OutboxRelayOptions,
  type OutboxRoute,
  type RelayPass,
} from './outbox/outbox-relay';
export { backoffDelayMs, type RetryBackoff } from './backoff';
export {
  INBOX,
  InboxEventInProgressError,
  inboxKeyOf,
  type Inbox,
  type InboxOutcome,
} from './inbox/inbox.port';
export { InMemoryInbox, type InMemoryInboxOptions } from './inbox/in-memory-inbox';
export {
  MongoInbox,
  type MongoInboxOptions,
  type SingleDocumentEffect,
  type SingleDocumentResult,
} from './inbox/mongo-inbox';
export {
  connectMessaging,
  embeddedMessageBus,
  type MessagingConnection,
  type MessagingSettings,
  type RelaySettings,
} from './runtime/connect-messaging';
export {
  createMessagingMetrics,
  type DeadLetterReason,
  type HandlerLabels,
  type HandlingOutcome,
  type MessagingMetrics,
  type MessagingMetricsOptions,
} from './metrics/messaging-metrics';
export type { LagSample, LagSource } from './metrics/consumer-lag';
