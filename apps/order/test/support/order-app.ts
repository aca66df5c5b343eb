import { Agent } from 'undici';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { connectMessaging, type MessagingConnection } from '@platform/messaging';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createApp, loadOrderConfig } from '../../src';
import { FakeInventory } from './fake-inventory';
import { OrderClient } from './order-client';
import { SagaMessages } from './saga-messages';

/** The users a component test acts as. */
export interface TestUsers {
  alice: OrderClient;
  bob: OrderClient;
  admin: OrderClient;
  anonymous: OrderClient;
}

/**
 * The order service in the embedded profile on an ephemeral port, with a fake auth server, a fake
 * inventory (TEA-GREEN at 650, MUG-WHITE at 1200) and the test as its saga's participants on the
 * process's embedded bus.
 */
export interface OrderHarness {
  order: RunningApp;
  inventory: FakeInventory;
  auth: FakeAuthServer;
  messages: SagaMessages;
  users: TestUsers;
  /** Closes the app alone (open event streams end gracefully); close() then closes the rest. */
  closeApp(): Promise<void>;
  close(): Promise<void>;
}

let groups = 0;

export async function startOrderHarness(env: NodeJS.ProcessEnv = {}): Promise<OrderHarness> {
  const auth = await startFakeAuthServer('order-test-key');
  const inventory = (await new FakeInventory().start()).product('TEA-GREEN', 650).product('MUG-WHITE', 1200);
  // The embedded profile's bus is one per process: this connection reaches the app's.
  const messaging: MessagingConnection = await connectMessaging({
    service: 'order-test',
    profile: 'embedded',
  });
  const messages = await new SagaMessages(messaging.bus).start();
  const order = await listenOnEphemeralPort(
    await createApp(
      loadOrderConfig({
        PROFILE: 'embedded',
        LOG_LEVEL: 'silent',
        AUTH_URL: auth.url,
        INVENTORY_URL: inventory.url,
        OUTBOX_RELAY_INTERVAL_MS: '10',
        ORDER_EVENTS_POLL_MS: '20',
        // Each app of the file its own group: replies for another app's sagas are ignored there.
        KAFKA_CONSUMER_GROUP: `order-${++groups}`,
        ...env,
      }),
    ),
  );
  const streams = new Agent();
  const client = new OrderClient(order.baseUrl, streams);
  let appClosed: Promise<void> | undefined;
  const closeApp = () => (appClosed ??= order.close());
  return {
    order,
    inventory,
    auth,
    messages,
    users: {
      alice: client.as(await auth.tokenFor('alice')),
      bob: client.as(await auth.tokenFor('bob')),
      admin: client.as(await auth.tokenFor('admin-1', ['admin'])),
      anonymous: client,
    },
    closeApp,
    close: async () => {
      await streams.destroy();
      await closeApp();
      await messages.stop();
      await messaging.close();
      await inventory.stop();
      await auth.close();
    },
  };
}
