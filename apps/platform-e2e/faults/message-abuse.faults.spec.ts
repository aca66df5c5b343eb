import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import {
  AuthorizePayment,
  OrderPlaced,
  PaymentAuthorized,
  ReserveStock,
  StockReserved,
  topics,
} from '@platform/contracts';
import { eventually } from '@platform/testing';
import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';
import { usePlatform } from '../test/platform-suite';
import type { WireMessage } from '../test/kafka-wire';

/**
 * Scenarios 7 and 8 of the fault suite, under a steady stream of orders: every message of the
 * order path delivered a second time, late and shuffled across keys and within them (scenario 7);
 * a burst of malformed and schema-violating records on every topic the order path reads
 * (scenario 8), each of which must be parked in its dead-letter topic while the consumers go on.
 */
jest.setTimeout(600_000);

const orderPathTopics: string[] = [
  topics.ordersEvents,
  topics.inventoryCommands,
  topics.inventoryEvents,
  topics.paymentsCommands,
  topics.paymentsEvents,
];
/** Marks the copies the duplicate injector publishes. */
const injectedHeader = 'fault-suite-injected';
/** A type each topic's consumer reads, for records whose envelope is right and payload is not. */
const typeRead: string[] = [
  OrderPlaced.type,
  ReserveStock.type,
  StockReserved.type,
  AuthorizePayment.type,
  PaymentAuthorized.type,
];

describe('fault suite: messages delivered twice, out of order, and malformed, under load', () => {
  const suite = usePlatform();
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  it('when every message of the order path is delivered again, late and shuffled, then every order ends once and no invariant breaks', async () => {
    const seed = 701;
    const random = xoroshiro128plus(seed);
    let republished = 0;
    const figures = await runUnderLoad(
      'every message delivered twice, out of order',
      { suite, catalogue, seed },
      async ({ decidedFromNow }) => {
        const ours = (message: WireMessage) =>
          orderPathTopics.includes(message.topic) &&
          message.headers[injectedHeader] === undefined &&
          suite.shop.orders.some((order) => order.orderId === message.key);
        let from = suite.wire.recordedCount;
        let injecting = true;
        // The injector: every pass takes what the recorder saw since the last one, shuffles it, and
        // publishes each message again as it was (its ce_id too), as a broker redelivers. Copies
        // are marked, so they are not copied again.
        const injector = (async () => {
          while (injecting) {
            const batch = suite.wire.recorded().slice(from).filter(ours);
            from = suite.wire.recordedCount;
            for (let index = batch.length - 1; index > 0; index -= 1) {
              const other = unsafeUniformIntDistribution(0, index, random);
              [batch[index], batch[other]] = [batch[other] as WireMessage, batch[index] as WireMessage];
            }
            for (const message of batch) {
              await suite.wire.publishRaw(message.topic, message.key, JSON.stringify(message.data), {
                ...message.headers,
                [injectedHeader]: 'duplicate',
              });
              republished += 1;
            }
            await delay(100);
          }
        })();
        try {
          await decidedFromNow(15);
        } finally {
          injecting = false;
          await injector;
        }
      },
    );
    expect(republished).toBeGreaterThan(0);
    expect(figures.violations).toEqual([]);
  });

  it('when a burst of malformed and schema-violating records arrives on every topic of the order path, then each is parked in its DLQ, orders go on, and no invariant breaks', async () => {
    const sent: { topic: string; key: string }[] = [];
    const figures = await runUnderLoad(
      'malformed records on every topic',
      { suite, catalogue, seed: 801 },
      async () => {
        for (const [topic, type] of orderPathTopics.map(
          (topic, index) => [topic, typeRead[index] ?? ''] as const,
        )) {
          const envelope = {
            ce_specversion: '1.0',
            ce_source: 'fault-suite',
            ce_type: type,
            ce_time: new Date().toISOString(),
            'content-type': 'application/json',
          };
          // Two of each: the record cut short, bytes that are not JSON, the type's fields wrong, an
          // empty object, and a well-formed payload with no envelope at all.
          const records: [value: string, headers: Record<string, string>][] = [
            ['{"orderId": ', envelope],
            ['\u0000\u0001 not json', envelope],
            [JSON.stringify({ orderId: 42, items: 'none', amountCents: -1 }), envelope],
            [JSON.stringify({}), envelope],
            [JSON.stringify({ orderId: randomUUID() }), { 'content-type': 'application/json' }],
          ];
          for (const [value, headers] of [...records, ...records]) {
            const key = `malformed-${randomUUID()}`;
            await suite.wire.publishRaw(topic, key, value, {
              ...headers,
              ...(headers.ce_type ? { ce_id: randomUUID() } : {}),
            });
            sent.push({ topic, key });
          }
        }
        await eventually(
          async () =>
            sent.every(({ topic, key }) => suite.wire.messagesOf(`${topic}.dlq`, key).length > 0)
              ? true
              : undefined,
          120_000,
          250,
        ).catch(() => {
          const missing = sent.filter(
            ({ topic, key }) => suite.wire.messagesOf(`${topic}.dlq`, key).length === 0,
          );
          throw new Error(
            `not parked in a DLQ: ${missing.map(({ topic, key }) => `${topic} ${key}`).join(', ')}`,
          );
        });
      },
    );
    expect(figures.violations).toEqual([]);
  });
});
