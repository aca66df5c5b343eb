import { keyOf, type MessageDefinition } from '@platform/contracts';
import type { ReceivedEnvelope } from './envelope/cloud-event-envelope';
import { InvalidMessageError } from './invalid-message.error';
import type { MessageCatalog } from './message-catalog';
import type { OutgoingMessage } from './message-publisher.port';

/** Throws InvalidMessageError when a message to publish breaks its contract: a bug, so nothing is sent. */
export function checkOutgoingMessage(catalog: MessageCatalog, message: OutgoingMessage): void {
  if (!message.source) throw new InvalidMessageError(`${message.type} has no source`);
  checkPayload(catalog, message.topic, message.type, message.key, message.data);
}

/** The payload as its schema parsed it; throws InvalidMessageError when the received message breaks its contract. */
export function checkReceivedMessage(
  catalog: MessageCatalog,
  topic: string,
  envelope: ReceivedEnvelope,
): unknown {
  return checkPayload(catalog, topic, envelope.type, envelope.key, envelope.data);
}

function checkPayload(
  catalog: MessageCatalog,
  topic: string,
  type: string,
  key: string,
  data: unknown,
): unknown {
  const definition = catalog.find(topic, type);
  if (!definition) throw new InvalidMessageError(`${type} is not a message type of ${topic}`);
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new InvalidMessageError(`${type} breaks its schema: ${issues}`);
  }
  checkKey(definition, key, parsed.data);
  return parsed.data;
}

// The key decides the partition, so a key that is not the aggregate id would break per-aggregate order.
function checkKey(definition: MessageDefinition, key: string, data: Record<string, unknown>): void {
  const expected = keyOf(definition, data);
  if (key !== expected)
    throw new InvalidMessageError(
      `${definition.type} has key ${key}, not its ${definition.keyField} ${expected}`,
    );
}
