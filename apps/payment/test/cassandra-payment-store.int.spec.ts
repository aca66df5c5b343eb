import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { CassandraPaymentStore } from '../src/store/cassandra-payment-store';
import { ensureKeyspace } from '@platform/persistence';
import { describePaymentStoreContract } from './contracts/payment-store.contract';
import { aTestKeyspace, connectTestCassandra } from './support/cassandra';

const keyspace = aTestKeyspace('payment_store');
let client: Client;

beforeAll(async () => {
  client = await connectTestCassandra();
  await ensureKeyspace(client, keyspace);
  await new CassandraPaymentStore(client, keyspace).ensureSchema();
}, 60_000);
afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}, 60_000);

describePaymentStoreContract('Cassandra', async () => new CassandraPaymentStore(client, keyspace));

describe('CassandraPaymentStore outbox', () => {
  it("when an event is emitted, then it waits in the order's partition of the outbox table", async () => {
    const store = new CassandraPaymentStore(client, keyspace);
    const orderId = randomUUID();
    const id = randomUUID();
    await store.emit(orderId, {
      id,
      type: 'PaymentDeclined',
      occurredAt: new Date(),
      data: { orderId, reason: 'CARD_DECLINED' },
      traceparent: null,
      state: 'pending',
      attempts: 0,
    });
    expect(await store.outbox.outboxOf(orderId)).toEqual([
      expect.objectContaining({ id, type: 'PaymentDeclined', data: { orderId, reason: 'CARD_DECLINED' } }),
    ]);
  });
});
