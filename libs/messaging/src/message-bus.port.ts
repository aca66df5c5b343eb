import type { MessageDefinition, PayloadOf } from '@platform/contracts';
import type { MessagePublisher } from './message-publisher.port';

/** A consumed message whose envelope and payload passed their contract. */
export interface IncomingMessage<TData = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  id: string;
  type: string;
  source: string;
  subject: string | undefined;
  time: string | undefined;
  data: TData;
  correlationId: string | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
}

/**
 * Resolves once the message's effect is durable. Throwing sends the message to its topic's next retry
 * topic, so it comes again after a backoff (and after later messages of its partition, which do not
 * wait for it); after the last try it is parked in the topic's DLQ.
 */
export type MessageHandler<TData = unknown> = (message: IncomingMessage<TData>) => Promise<void>;

export interface MessageHandlerRegistration {
  topic: string;
  type: string;
  handle: MessageHandler;
}

/** A consumer group member: each group receives every message once, members of one group share the partitions. */
export interface Subscription {
  groupId: string;
  handlers: MessageHandlerRegistration[];
  /**
   * Where a group without committed offsets starts: 'earliest' (the default: a service's group sees
   * what was published before its first start) or 'latest' (a group per instance, such as a cache
   * invalidator, which only cares about what happens from now on).
   */
  startAt?: 'earliest' | 'latest';
}

export interface RunningSubscription {
  /** Lets the in-flight handler finish, commits what was handled, and leaves the group. */
  stop(): Promise<void>;
  /**
   * Whether the member has joined its group (and so gets partitions). `subscribe` resolves before:
   * a service is live while it joins, and ready once it has.
   */
  joined(): boolean;
  /**
   * The error that stopped the member for good: the client gave up and will not restart it, so its
   * partitions go to the group's other members and this process consumes nothing more. Undefined
   * while it consumes, joins or restarts by itself.
   */
  failure(): Error | undefined;
}

/** Publishing and consuming, whatever the client behind it (kafkajs, or in memory for the embedded profile). */
export interface MessageBus extends MessagePublisher {
  subscribe(subscription: Subscription): Promise<RunningSubscription>;
}

/** A typed handler for one message type, on its own topic unless another topic carries the same messages. */
export function handlerOf<TDefinition extends MessageDefinition>(
  definition: TDefinition,
  handle: MessageHandler<PayloadOf<TDefinition>>,
  topic: string = definition.topic,
): MessageHandlerRegistration {
  return { topic, type: definition.type, handle: handle as MessageHandler };
}
