import { CommitStock, ReleaseStock, ReserveStock } from './inventory-commands';
import {
  ProductChanged,
  StockCommitted,
  StockRejected,
  StockReleased,
  StockReserved,
} from './inventory-events';
import type { MessageDefinition } from './message-definition';
import { OrderCancelled, OrderConfirmed, OrderPlaced } from './orders-events';
import { AuthorizePayment, RefundPayment } from './payments-commands';
import { PaymentAuthorized, PaymentDeclined, PaymentFailed, PaymentRefunded } from './payments-events';
import { topics, type TopicName } from './topics';
import { UserRegistered } from './users-events';

/** The single registry: topic → message types → schema. Everything else is looked up here. */
export const messageRegistry = {
  [topics.ordersEvents]: { OrderPlaced, OrderConfirmed, OrderCancelled },
  [topics.inventoryCommands]: { ReserveStock, CommitStock, ReleaseStock },
  [topics.inventoryEvents]: { StockReserved, StockRejected, StockCommitted, StockReleased, ProductChanged },
  [topics.paymentsCommands]: { AuthorizePayment, RefundPayment },
  [topics.paymentsEvents]: { PaymentAuthorized, PaymentDeclined, PaymentFailed, PaymentRefunded },
  [topics.usersEvents]: { UserRegistered },
} as const satisfies Record<TopicName, Record<string, MessageDefinition>>;

export const allMessageDefinitions: readonly MessageDefinition[] = Object.values(messageRegistry).flatMap(
  (byName) => Object.values(byName),
);

const byWireType = new Map(allMessageDefinitions.map((definition) => [definition.type, definition]));
const byName = new Map(allMessageDefinitions.map((definition) => [definition.name, definition]));

/** The definition of a wire name (`ce_type`) on a topic, or undefined when that topic does not carry it. */
export function findMessageByType(topic: string, type: string): MessageDefinition | undefined {
  const definition = byWireType.get(type);
  return definition?.topic === topic ? definition : undefined;
}

/**
 * The definition of a short name, e.g. the 'UserRegistered' that apps/auth stores in its outbox:
 * how an outbox relay turns a stored type into the topic and wire name it publishes.
 */
export function findMessageByName(name: string): MessageDefinition | undefined {
  return byName.get(name);
}

export const allTopics: readonly TopicName[] = Object.values(topics);
