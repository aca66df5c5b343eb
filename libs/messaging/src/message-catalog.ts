import { findMessageByType, type MessageDefinition } from '@platform/contracts';

/** Where a bus finds the schema of a wire name on a topic. */
export interface MessageCatalog {
  find(topic: string, type: string): MessageDefinition | undefined;
}

/** The registry of @platform/contracts: what every service uses. */
export const contractCatalog: MessageCatalog = { find: findMessageByType };

/**
 * The contracts under other topic names, e.g. `{ 'run-42.users.events.v1': 'users.events.v1' }`:
 * isolated topics per test run or per environment that carry the same messages.
 */
export function catalogWithTopicAliases(
  aliases: Record<string, string>,
  catalog: MessageCatalog = contractCatalog,
): MessageCatalog {
  return { find: (topic, type) => catalog.find(aliases[topic] ?? topic, type) };
}
