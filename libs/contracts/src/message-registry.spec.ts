import {
  allMessageDefinitions,
  allTopics,
  findMessageByName,
  findMessageByType,
  keyOf,
  messageRegistry,
  topics,
  type MessageDefinition,
} from './index';
import { messageExamples } from './message-examples';

const examples = messageExamples;

describe('the message registry', () => {
  it('when every topic of docs/events.md is listed, then each has its message types', () => {
    expect(Object.keys(messageRegistry).sort()).toEqual([
      'inventory.commands.v1',
      'inventory.events.v1',
      'orders.events.v1',
      'payments.commands.v1',
      'payments.events.v1',
      'users.events.v1',
    ]);
    expect(allTopics).toHaveLength(6);
    expect(Object.keys(messageRegistry[topics.inventoryEvents])).toEqual([
      'StockReserved',
      'StockRejected',
      'StockCommitted',
      'StockReleased',
      'ProductChanged',
    ]);
  });

  it('when wire names are compared, then no two message types share one', () => {
    const wireNames = allMessageDefinitions.map((definition) => definition.type);
    expect(new Set(wireNames).size).toBe(wireNames.length);
  });

  it('when a wire name is read, then it is versioned and names its domain, never a class name', () => {
    for (const definition of allMessageDefinitions) {
      expect(definition.type).toMatch(/^platform\.[a-z]+\.[a-z]+(-[a-z]+)*\.v\d+$/);
    }
  });

  it('when a definition sits under a topic, then it declares that same topic', () => {
    for (const [topic, byName] of Object.entries(messageRegistry)) {
      for (const [name, definition] of Object.entries(byName) as [string, MessageDefinition][]) {
        expect({ name: definition.name, topic: definition.topic }).toEqual({ name, topic });
      }
    }
  });

  it('when a wire name is looked up on its own topic, then it is found, and on another topic, then not', () => {
    expect(findMessageByType('users.events.v1', 'platform.users.user-registered.v1')?.name).toBe(
      'UserRegistered',
    );
    expect(findMessageByType('orders.events.v1', 'platform.users.user-registered.v1')).toBeUndefined();
    expect(findMessageByType('users.events.v1', 'UserRegistered')).toBeUndefined();
  });

  it("when the auth service's outbox type 'UserRegistered' is looked up, then it maps to its topic and wire name", () => {
    const definition = findMessageByName('UserRegistered');
    expect(definition).toMatchObject({
      topic: 'users.events.v1',
      type: 'platform.users.user-registered.v1',
      keyField: 'userId',
    });
  });

  it('when an example exists, then there is exactly one per message type', () => {
    expect(Object.keys(examples).sort()).toEqual(
      allMessageDefinitions.map((definition) => definition.name).sort(),
    );
  });
});

describe.each(allMessageDefinitions.map((definition) => [definition.name, definition] as const))(
  '%s',
  (name, definition) => {
    const example = examples[name]!;

    it('when the payload is valid, then the schema accepts it', () => {
      expect(definition.schema.safeParse(example.valid).success).toBe(true);
    });

    it('when the payload is malformed, then the schema rejects it', () => {
      expect(definition.schema.safeParse(example.malformed).success).toBe(false);
    });

    it('when the payload is not an object, then the schema rejects it', () => {
      expect(definition.schema.safeParse('just a string').success).toBe(false);
    });

    it('when the key is read, then it is the aggregate id of the payload', () => {
      const key = keyOf(definition, example.valid);
      expect(key).toBe(String(example.valid[definition.keyField]));
      expect(key).not.toBe('undefined');
    });
  },
);
