/** A message to publish, as a service (or its outbox relay) knows it. */
export interface OutgoingMessage {
  topic: string;
  /** The wire name (`ce_type`) declared in @platform/contracts, e.g. platform.users.user-registered.v1. */
  type: string;
  /** The aggregate id; it must equal the payload's key field. */
  key: string;
  data: unknown;
  /** The CloudEvents id; a fresh UUID when absent. An outbox passes its stored id so a re-publish is a duplicate the inbox skips. */
  id?: string;
  /** When the fact happened; now when absent. */
  time?: Date | string;
  /** The saga id. */
  correlationId?: string;
  /** W3C trace context; taken from the active span when absent. */
  traceparent?: string;
  tracestate?: string;
  /** The producing service, sent as `ce_source`. */
  source: string;
}

/** Publishes one message; resolves once the broker acknowledged it, throws (before sending) when it breaks its schema. */
export interface MessagePublisher {
  publish(message: OutgoingMessage): Promise<void>;
}
