import { randomUUID } from 'node:crypto';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import { eventually, type RunningApp } from '@platform/testing';
import {
  InventoryClient,
  type TestIssuer,
  aNewProduct,
  startEmbeddedInventory,
  startTestIssuer,
} from './support/inventory-client';
import { recordInventoryEvents, stockCommandsOn } from './support/stock-events';

describe('stock commands on the embedded bus', () => {
  let issuer: TestIssuer;
  let inventory: RunningApp;
  let client: InventoryClient;
  let messaging: MessagingConnection;
  let events: Awaited<ReturnType<typeof recordInventoryEvents>>;
  let commands: ReturnType<typeof stockCommandsOn>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    inventory = await startEmbeddedInventory(issuer.url);
    client = new InventoryClient(inventory.baseUrl);
    // The embedded profile's bus is one per process: this connection reaches the app's.
    messaging = await connectMessaging({ service: 'order', profile: 'embedded' });
    events = await recordInventoryEvents(messaging.bus);
    commands = stockCommandsOn(messaging.bus);
  });
  afterAll(async () => {
    await events.stop();
    await messaging.close();
    await inventory.close();
    await issuer.close();
  });

  async function aProductWith(initialStock: number): Promise<string> {
    const product = aNewProduct({ initialStock });
    const reply = await client.asAdmin(await issuer.adminToken()).createProduct(product);
    if (reply.status !== 201) throw new Error(`create answered ${reply.status}`);
    return product.sku;
  }

  const available = async (sku: string) => (await client.product(sku)).body.available as number;
  const typesOf = (orderId: string) => events.of(orderId).map((event) => event.type);
  const until = <T>(condition: () => T | undefined | false) =>
    eventually(async () => condition() || undefined, 15_000, 20);

  it('when ReserveStock can be met, then StockReserved is emitted keyed by the order and stock is held', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    await commands.reserve(orderId, [{ sku, quantity: 2 }]);
    const [event] = await until(() => events.of(orderId).length > 0 && events.of(orderId));
    expect(event).toMatchObject({
      type: 'StockReserved',
      key: orderId,
      data: { orderId, items: [{ sku, quantity: 2 }] },
    });
    expect(await available(sku)).toBe(3);
  });

  it('when ReserveStock cannot be met, then StockRejected names the line and nothing is held', async () => {
    const [plenty, scarce] = [await aProductWith(5), await aProductWith(1)];
    const orderId = `order-${randomUUID()}`;
    await commands.reserve(orderId, [
      { sku: plenty, quantity: 1 },
      { sku: scarce, quantity: 2 },
    ]);
    const [event] = await until(() => events.of(orderId).length > 0 && events.of(orderId));
    expect(event?.data).toEqual({
      orderId,
      reason: 'OUT_OF_STOCK',
      unavailable: [{ sku: scarce, requested: 2, available: 1 }],
    });
    expect(await available(plenty)).toBe(5);
    expect(await available(scarce)).toBe(1);
  });

  it('when ReserveStock names an unknown sku, then StockRejected says UNKNOWN_SKU', async () => {
    const orderId = `order-${randomUUID()}`;
    await commands.reserve(orderId, [{ sku: 'NO-SUCH-SKU', quantity: 1 }]);
    const [event] = await until(() => events.of(orderId).length > 0 && events.of(orderId));
    expect(event).toMatchObject({ type: 'StockRejected', data: { reason: 'UNKNOWN_SKU' } });
  });

  it('when CommitStock follows, then StockCommitted is emitted and the stock stays taken', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    await commands.reserve(orderId, [{ sku, quantity: 2 }]);
    await until(() => typesOf(orderId).includes('StockReserved'));
    await commands.commit(orderId);
    await until(() => typesOf(orderId).includes('StockCommitted'));
    expect(typesOf(orderId)).toEqual(['StockReserved', 'StockCommitted']);
    expect(await available(sku)).toBe(3);
  });

  it('when ReleaseStock follows, then StockReleased is emitted and the stock is available again', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    await commands.reserve(orderId, [{ sku, quantity: 2 }]);
    await until(() => typesOf(orderId).includes('StockReserved'));
    await commands.release(orderId);
    await until(() => typesOf(orderId).includes('StockReleased'));
    expect(await available(sku)).toBe(5);
  });

  it('when the same command is delivered twice, then it has one outcome and stock moves once', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    const commandId = randomUUID();
    await commands.reserve(orderId, [{ sku, quantity: 2 }], commandId);
    await commands.reserve(orderId, [{ sku, quantity: 2 }], commandId);
    // A later command of the same order travels behind both deliveries on the order's partition.
    await commands.commit(orderId);
    await until(() => typesOf(orderId).includes('StockCommitted'));
    expect(typesOf(orderId)).toEqual(['StockReserved', 'StockCommitted']);
    expect(await available(sku)).toBe(3);
  });

  it('when ReleaseStock arrives before ReserveStock, then the late ReserveStock reserves nothing and StockReleased answers it', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    await commands.release(orderId);
    await commands.reserve(orderId, [{ sku, quantity: 2 }]);
    await until(() => events.of(orderId).length >= 2);
    expect(typesOf(orderId)).toEqual(['StockReleased', 'StockReleased']);
    expect(await available(sku)).toBe(5);
  });

  it('when CommitStock arrives before ReserveStock, then it is retried and commits once the stock is reserved', async () => {
    const sku = await aProductWith(5);
    const orderId = `order-${randomUUID()}`;
    await commands.commit(orderId);
    await commands.reserve(orderId, [{ sku, quantity: 1 }]);
    await until(() => typesOf(orderId).includes('StockCommitted'));
    expect(typesOf(orderId)).toEqual(['StockReserved', 'StockCommitted']);
    expect(await available(sku)).toBe(4);
  });

  it('when stock changes, then ProductChanged carries the new availability keyed by sku', async () => {
    const sku = await aProductWith(5);
    await commands.reserve(`order-${randomUUID()}`, [{ sku, quantity: 3 }]);
    const changed = await until(() =>
      events.received.find(
        (event) => event.type === 'ProductChanged' && event.key === sku && event.data.available === 2,
      ),
    );
    expect(changed.data).toMatchObject({ sku, available: 2, priceCents: 890, currency: 'EUR' });
  });
});
