import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';
import { infra } from './infrastructure';
import { usePlatform } from '../test/platform-suite';

/**
 * Scenarios 3 and 6 of the fault suite: the Kafka broker stopped and started again under a steady
 * stream of orders (scenario 3), and Redis down for a while (scenario 6). While the broker is away,
 * orders are still taken (the outbox keeps their events) and the sagas resume once it is back.
 * Without Redis the gateway's rate limiter lets requests through (it fails open) and orders are
 * still confirmed.
 */
jest.setTimeout(600_000);

describe('fault suite: the broker and the cache down under load', () => {
  const suite = usePlatform({
    // A saga must outlive the broker's absence: its deadlines are what this scenario is not about.
    order: { ORDER_PAYMENT_TIMEOUT_MS: '60000', ORDER_STOCK_TIMEOUT_MS: '60000' },
  });
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  it('when the Kafka broker is stopped under load and started again, then every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad(
      'Kafka broker restarted',
      { suite, catalogue, seed: 301 },
      async () => {
        await infra('down', 'kafka');
        await infra('up', 'kafka');
      },
    );
    expect(figures.violations).toEqual([]);
  });

  it('when Redis is down under load for as long as 8 orders take to end, then orders are still confirmed and no invariant breaks', async () => {
    const figures = await runUnderLoad(
      'Redis down',
      { suite, catalogue, seed: 302 },
      async ({ confirmedFromNow }) => {
        await infra('down', 'redis');
        try {
          await confirmedFromNow(8);
        } finally {
          await infra('up', 'redis');
        }
      },
    );
    expect(figures.violations).toEqual([]);
  });
});
