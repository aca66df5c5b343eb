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

const orderId = '5b1c9a5e-4c55-4d47-9a0e-7d0f6d7f4a11';
const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** One valid payload per message type, and one way to break it. */
const examples: Record<string, { valid: Record<string, unknown>; malformed: Record<string, unknown> }> = {
  OrderPlaced: {
    valid: {
      orderId,
      userId,
      items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    },
    malformed: {
      orderId,
      userId,
      items: [{ sku: 'SKU-1', quantity: 0, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: 'EUR',
    },
  },
  OrderConfirmed: {
    valid: { orderId, userId, paymentId: 'pay-1', totalCents: 2500, currency: 'EUR' },
    malformed: { orderId, userId, paymentId: 'pay-1', totalCents: 25.5, currency: 'EUR' },
  },
  OrderCancelled: {
    valid: { orderId, userId, reason: 'TIMEOUT' },
    malformed: { orderId, userId, reason: 'BORED' },
  },
  ReserveStock: {
    valid: { orderId, items: [{ sku: 'SKU-1', quantity: 2 }] },
    malformed: { orderId, items: [] },
  },
  CommitStock: { valid: { orderId }, malformed: { orderId: '' } },
  ReleaseStock: { valid: { orderId }, malformed: {} },
  StockReserved: {
    valid: { orderId, items: [{ sku: 'SKU-1', quantity: 2 }] },
    malformed: { orderId, items: [{ sku: 'SKU-1' }] },
  },
  StockRejected: {
    valid: { orderId, reason: 'OUT_OF_STOCK', unavailable: [{ sku: 'SKU-1', requested: 3, available: 1 }] },
    malformed: {
      orderId,
      reason: 'OUT_OF_STOCK',
      unavailable: [{ sku: 'SKU-1', requested: 3, available: -1 }],
    },
  },
  StockCommitted: { valid: { orderId }, malformed: { orderId: 42 } },
  StockReleased: { valid: { orderId }, malformed: { orderId: null } },
  ProductChanged: {
    valid: { sku: 'SKU-1', name: 'Teapot', priceCents: 1999, currency: 'EUR', available: 10 },
    malformed: { sku: 'SKU-1', name: 'Teapot', priceCents: 1999, currency: 'euro', available: 10 },
  },
  AuthorizePayment: {
    valid: { orderId, userId, amountCents: 2500, currency: 'EUR', paymentMethod: 'tok_visa' },
    malformed: { orderId, userId, amountCents: 2500, currency: 'EUR' },
  },
  RefundPayment: {
    valid: { orderId, reason: 'TIMEOUT' },
    malformed: { orderId, paymentId: 'pay-1', reason: 'BECAUSE' },
  },
  PaymentAuthorized: {
    valid: { orderId, paymentId: 'pay-1', amountCents: 2500, currency: 'EUR' },
    malformed: { orderId, amountCents: 2500, currency: 'EUR' },
  },
  PaymentDeclined: {
    valid: { orderId, reason: 'CARD_DECLINED' },
    malformed: { orderId, reason: 'card declined' },
  },
  PaymentFailed: {
    valid: { orderId, reason: 'PROVIDER_TIMEOUT', detail: 'no answer in 2 s' },
    malformed: { orderId },
  },
  PaymentRefunded: {
    valid: { orderId, paymentId: 'pay-1', amountCents: 2500, currency: 'EUR' },
    malformed: { orderId, paymentId: 'pay-1', amountCents: '2500', currency: 'EUR' },
  },
  UserRegistered: {
    valid: { userId, email: 'ada@example.com', name: 'Ada' },
    malformed: { userId, email: 'not-an-email', name: 'Ada' },
  },
};

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
