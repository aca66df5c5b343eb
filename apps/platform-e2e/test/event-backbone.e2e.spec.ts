import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { request } from 'undici';
import { createTestSigningKey } from '@platform/auth/testing';
import {
  CommitStock,
  OrderConfirmed,
  ReserveStock,
  StockCommitted,
  StockRejected,
  StockReserved,
  UserRegistered,
  topics,
} from '@platform/contracts';
import {
  eventually,
  fetchJaegerTrace,
  requireInfrastructure,
  startServiceProcess,
  type JaegerSpan,
  type JaegerTrace,
  type ServiceProcess,
} from '@platform/testing';
import { jaegerQueryUrl, otlpEndpoint, unthrottled } from './connection';
import { KafkaWire } from './kafka-wire';

/**
 * The event backbone end to end: auth, inventory, notification and the gateway as processes on the
 * real Kafka, the MongoDB-wire server, Cassandra and Redis; commands published onto Kafka in the platform's wire
 * format; outcomes read back from Kafka, from the public API and from Jaeger.
 */
const run = randomUUID().slice(0, 8);
const mongoUrl = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const inventoryGroup = `e2e-inventory-${run}`;
const notificationGroup = `e2e-notification-${run}`;
const deadLetters = `${topics.inventoryCommands}.dlq`;
const password = 'correct horse battery staple';

jest.setTimeout(120_000);

describe('the event backbone', () => {
  const wire = new KafkaWire();
  const mongo = new MongoClient(mongoUrl);
  let signingKeys: string;
  let auth: ServiceProcess;
  let inventory: ServiceProcess;
  let notification: ServiceProcess;
  let gateway: ServiceProcess;
  let adminToken: string;
  const sku = `E2E-${run.toUpperCase()}`;

  const authEnv = (database: string, extra: NodeJS.ProcessEnv = {}) => ({
    PROFILE: 'local',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    AUTH_SIGNING_KEYS: signingKeys,
    MONGO_DATABASE: database,
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    ...extra,
  });

  beforeAll(async () => {
    await requireInfrastructure(`Jaeger at ${jaegerQueryUrl}`, () => fetch(`${jaegerQueryUrl}/api/services`));
    await requireInfrastructure(`MongoDB at ${mongoUrl}`, () => mongo.connect());
    await wire.connect();
    await wire.record([topics.inventoryEvents, topics.usersEvents, deadLetters]);
    signingKeys = JSON.stringify({ keys: [(await createTestSigningKey(`e2e-${run}`)).privateJwk] });
    auth = await startServiceProcess('auth', authEnv(`e2e-auth-${run}`));
    // The services' own groups start at the end of the topics: other runs' history stays out.
    [inventory, notification] = await Promise.all([
      startServiceProcess('inventory', {
        PROFILE: 'local',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
        MONGO_DATABASE: `e2e-inventory-${run}`,
        KAFKA_CONSUMER_GROUP: inventoryGroup,
        KAFKA_AUTO_OFFSET_RESET: 'latest',
        AUTH_URL: auth.baseUrl,
      }),
      startServiceProcess('notification', {
        PROFILE: 'local',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
        CASSANDRA_KEYSPACE: `e2e_notification_${run}`,
        KAFKA_CONSUMER_GROUP: notificationGroup,
        KAFKA_AUTO_OFFSET_RESET: 'latest',
        AUTH_URL: auth.baseUrl,
      }),
    ]);
    gateway = await startServiceProcess('gateway', {
      ...unthrottled,
      PROFILE: 'local',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      AUTH_URL: auth.baseUrl,
      INVENTORY_URL: inventory.baseUrl,
      NOTIFICATION_URL: notification.baseUrl,
    });
    adminToken = (
      await call('POST', '/api/auth/login', {
        body: { email: 'admin@platform.local', password: 'platform-admin-password' },
      })
    ).body.accessToken;
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([inventory?.stop(), notification?.stop()]);
    await auth?.stop();
    await wire.close();
    await mongo.close();
  }, 60_000);

  async function call(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string; baseUrl?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await request(`${options.baseUrl ?? gateway.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const availableOf = async (productSku: string) =>
    (await call('GET', `/api/products/${productSku}`)).body.available;
  const until = <T>(condition: () => Promise<T | undefined>, timeoutMs = 60_000) =>
    eventually(condition, timeoutMs, 100);
  const anOrderId = () => `order-${randomUUID()}`;

  async function registeredCustomer(baseUrl?: string) {
    const email = `customer-${randomUUID()}@example.com`;
    const registered = await call('POST', '/api/auth/register', {
      body: { email, password, name: 'Grace Hopper' },
      ...(baseUrl ? { baseUrl } : {}),
    });
    expect(registered.status).toBe(201);
    return { id: registered.body.id as string, email, traceId: String(registered.headers['x-trace-id']) };
  }

  /** The customer's notices, through the gateway; logged in at `authBaseUrl` when the account lives in another auth. */
  async function notificationsOf(email: string, authBaseUrl?: string) {
    const { body } = await call('POST', '/api/auth/login', {
      body: { email, password },
      ...(authBaseUrl ? { baseUrl: authBaseUrl } : {}),
    });
    const reply = await call('GET', '/api/notifications?limit=100', { token: body.accessToken });
    expect(reply.status).toBe(200);
    return reply.body.items as { type: string; orderId: string | null }[];
  }

  it('when an admin creates a product through the gateway, then the catalogue lists it with its stock', async () => {
    const created = await call('POST', '/api/products', {
      token: adminToken,
      body: { sku, name: 'End-to-end widget', priceCents: 1250, initialStock: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      sku,
      name: 'End-to-end widget',
      priceCents: 1250,
      currency: 'EUR',
      available: 5,
    });
    expect(await availableOf(sku)).toBe(5);
  });

  it('when ReserveStock and then CommitStock are published on Kafka, then StockReserved and StockCommitted follow and the stock shows the sale', async () => {
    const orderId = anOrderId();
    await wire.publish(ReserveStock, { orderId, items: [{ sku, quantity: 2 }] });
    const [reserved] = await until(async () => nonEmpty(wire.eventsOf(StockReserved, orderId)));
    expect(reserved?.data).toEqual({ orderId, items: [{ sku, quantity: 2 }] });
    expect(reserved?.headers).toMatchObject({
      ce_source: 'inventory',
      ce_subject: orderId,
      ce_specversion: '1.0',
    });
    expect(await availableOf(sku)).toBe(3);

    await wire.publish(CommitStock, { orderId });
    await until(async () => nonEmpty(wire.eventsOf(StockCommitted, orderId)));
    expect(await availableOf(sku)).toBe(3);
  });

  it('when a reservation asks for more than is available, then StockRejected names the line and the stock is untouched', async () => {
    const orderId = anOrderId();
    await wire.publish(ReserveStock, { orderId, items: [{ sku, quantity: 10 }] });
    const [rejected] = await until(async () => nonEmpty(wire.eventsOf(StockRejected, orderId)));
    expect(rejected?.data).toMatchObject({
      orderId,
      reason: 'OUT_OF_STOCK',
      unavailable: [{ sku, requested: 10, available: 3 }],
    });
    expect(await availableOf(sku)).toBe(3);
  });

  it('when one command is delivered twice and a malformed record sits before it on its partition, then the record is parked in the DLQ, the partition moves on, and the command has one outcome', async () => {
    const orderId = anOrderId();
    await wire.publishRaw(topics.inventoryCommands, orderId, '{ not json', {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_type: ReserveStock.type,
      ce_source: 'platform-e2e',
      'content-type': 'application/json',
    });
    const id = await wire.publish(ReserveStock, { orderId, items: [{ sku, quantity: 1 }] });
    await wire.publish(ReserveStock, { orderId, items: [{ sku, quantity: 1 }] }, { id });
    await until(async () => nonEmpty(wire.eventsOf(StockReserved, orderId)));
    const [parked] = await until(async () => nonEmpty(wire.messagesOf(deadLetters, orderId)));
    expect(parked?.headers['dlq-reason']).toBeTruthy();

    await until(async () =>
      (await wire.lagOf(inventoryGroup, topics.inventoryCommands)) === 0 ? true : undefined,
    );
    expect(wire.eventsOf(StockReserved, orderId)).toHaveLength(1);
    expect(await availableOf(sku)).toBe(2);
  });

  it('when a command exhausts its retries, then it is parked in the DLQ, and the DLQ tool replays it once it can succeed, exactly once', async () => {
    const orderId = anOrderId();
    // Committing a reservation that does not exist yet fails every try: it ends in the DLQ.
    const commandId = await wire.publish(CommitStock, { orderId });
    await until(async () => nonEmpty(wire.messagesOf(deadLetters, orderId)), 90_000);
    await wire.publish(ReserveStock, { orderId, items: [{ sku, quantity: 1 }] });
    await until(async () => nonEmpty(wire.eventsOf(StockReserved, orderId)));
    expect(await availableOf(sku)).toBe(1);

    const replayed = await dlq(['replay', deadLetters, '--id', commandId]);
    expect(replayed.code).toBe(0);
    await until(async () => nonEmpty(wire.eventsOf(StockCommitted, orderId)));
    const again = await dlq(['replay', deadLetters, '--id', commandId]);
    expect(again.code).toBe(0);
    await until(async () =>
      (await wire.lagOf(inventoryGroup, topics.inventoryCommands)) === 0 ? true : undefined,
    );
    expect(wire.eventsOf(StockCommitted, orderId)).toHaveLength(1);
    expect(await availableOf(sku)).toBe(1);
  });

  it('when a customer registers and an order outcome is delivered three times, then the customer has one welcome and one confirmation notice', async () => {
    const customer = await registeredCustomer();
    const orderId = anOrderId();
    const confirmation = {
      orderId,
      userId: customer.id,
      paymentId: `pay-${run}`,
      totalCents: 2500,
      currency: 'EUR',
    };
    const id = await wire.publish(OrderConfirmed, confirmation);
    await wire.publish(OrderConfirmed, confirmation, { id });
    await wire.publish(OrderConfirmed, confirmation, { id });

    await until(async () => ((await notificationsOf(customer.email)).length >= 2 ? true : undefined));
    await until(async () =>
      (await wire.lagOf(notificationGroup, topics.ordersEvents)) === 0 ? true : undefined,
    );
    const notices = await notificationsOf(customer.email);
    expect(notices.map((notice) => notice.type).sort()).toEqual(['ORDER_CONFIRMED', 'WELCOME']);
    expect(notices.find((notice) => notice.type === 'ORDER_CONFIRMED')?.orderId).toBe(orderId);
  });

  it("when a registration's trace is read from Jaeger, then the notification's consumer span is a child of auth's producer span across Kafka", async () => {
    const customer = await registeredCustomer();
    // The two services export their spans in separate batches: wait for the child and its parent.
    const parentOf = (trace: JaegerTrace) => {
      const consumer = consumerSpanOf(trace, 'notification', UserRegistered.type);
      const parentId = consumer?.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID;
      return trace.spans.find((span) => span.spanID === parentId);
    };
    const trace = await until(async () => {
      const found = await fetchJaegerTrace(jaegerQueryUrl, customer.traceId);
      return found && parentOf(found) ? found : undefined;
    }, 90_000);
    const parent = parentOf(trace);
    expect(parent && serviceOf(trace, parent)).toBe('auth');
    expect(parent && kindOf(parent)).toBe('producer');
  });

  it('when a command carries a trace context, then the inventory handles it in a consumer span that is the producer span’s child', async () => {
    const traceId = randomUUID().replaceAll('-', '');
    const producerSpanId = randomUUID().replaceAll('-', '').slice(0, 16);
    const orderId = anOrderId();
    await wire.publish(
      ReserveStock,
      { orderId, items: [{ sku, quantity: 1 }] },
      { traceparent: `00-${traceId}-${producerSpanId}-01` },
    );
    const trace = await until(async () => {
      const found = await fetchJaegerTrace(jaegerQueryUrl, traceId);
      return found && consumerSpanOf(found, 'inventory', ReserveStock.type) ? found : undefined;
    }, 90_000);
    const consumer = consumerSpanOf(trace, 'inventory', ReserveStock.type);
    expect(consumer?.references).toContainEqual(
      expect.objectContaining({ refType: 'CHILD_OF', spanID: producerSpanId }),
    );
  });

  it('when auth dies (SIGKILL) after saving a new user and before publishing its event, then the restarted relay publishes it: nothing lost, nothing doubled', async () => {
    const database = `e2e-auth-killed-${run}`;
    // Auth publishes the moment it commits, so the state such a death leaves (a user whose
    // UserRegistered still waits in its outbox) is made from a real registration: its document
    // and its message again, under a new id and email, with the event pending.
    const first = await startServiceProcess('auth', authEnv(database));
    const template = await registeredCustomer(first.baseUrl);
    const [message] = await until(async () => nonEmpty(wire.eventsOf(UserRegistered, template.id)));
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const users = mongo.db(database).collection<Record<string, unknown> & { _id: string }>('users');
    const saved = await users.findOne({ _id: template.id });
    const customer = { id: randomUUID(), email: `customer-${randomUUID()}@example.com` };
    const renamed = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value).replaceAll(template.id, customer.id).replaceAll(template.email, customer.email),
      ) as unknown;
    await users.insertOne({
      ...saved,
      _id: customer.id,
      email: customer.email,
      outbox: [
        {
          id: randomUUID(),
          type: 'UserRegistered',
          occurredAt: new Date(),
          data: renamed(message?.data),
          traceparent: null,
          tracestate: null,
          correlationId: null,
          state: 'pending',
          attempts: 0,
        },
      ],
      outboxPending: true,
    });
    expect(wire.eventsOf(UserRegistered, customer.id)).toEqual([]);

    const restarted = await startServiceProcess('auth', authEnv(database));
    try {
      await until(async () => nonEmpty(wire.eventsOf(UserRegistered, customer.id)));
      await until(async () => {
        const document = await mongo
          .db(database)
          .collection<{ _id: string; outbox: unknown[] }>('users')
          .findOne({ _id: customer.id });
        return document?.outbox.length === 0 ? true : undefined;
      });
      expect(wire.eventsOf(UserRegistered, customer.id)).toHaveLength(1);
      await until(async () =>
        (await wire.lagOf(notificationGroup, topics.usersEvents)) === 0 ? true : undefined,
      );
      const notices = await notificationsOf(customer.email, restarted.baseUrl);
      expect(notices.map((notice) => notice.type)).toEqual(['WELCOME']);
    } finally {
      await restarted.stop();
    }
  });
});

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function serviceOf(trace: JaegerTrace, span: JaegerSpan): string | undefined {
  return trace.processes[span.processID]?.serviceName;
}

function kindOf(span: JaegerSpan): unknown {
  return span.tags.find((tag) => tag.key === 'span.kind')?.value;
}

/** The span in which `service` handled a message of `type`: the events it caused continue the same trace. */
function consumerSpanOf(trace: JaegerTrace, service: string, type: string): JaegerSpan | undefined {
  return trace.spans.find(
    (span) =>
      serviceOf(trace, span) === service &&
      kindOf(span) === 'consumer' &&
      span.operationName === `process ${type}`,
  );
}

/** The DLQ tool as an operator runs it (`npm run dlq -- …`). */
function dlq(args: string[]): Promise<{ code: number; output: string }> {
  const cli = join(__dirname, '../../../tools/dlq/src/cli.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', cli, ...args],
      { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}
