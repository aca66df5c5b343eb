import { eventually } from '@platform/testing';
import type { ServiceName } from '../test/platform';
import { usePlatform, type PlatformSuite } from '../test/platform-suite';
import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';
import { infra } from './infrastructure';

/**
 * Scenario 6 of the fault suite, its stores: MongoDB (the FerretDB server) and Cassandra each
 * unreachable under a steady stream of orders. While a store is away the services that use it say
 * so on /readyz (503), the load's requests are refused and asked again with the same
 * Idempotency-Key, and the messages their consumers cannot handle wait in a retry topic without
 * using up their attempts; once it is back, orders are confirmed again and nothing is lost or doubled.
 */
jest.setTimeout(600_000);

/** Waits until `service`'s /readyz answers `status` (503: it saw the store go; 200: it is back). */
async function readiness(suite: PlatformSuite, service: ServiceName, status: 200 | 503): Promise<void> {
  const url = `${suite.platform.process(service).operationsUrl}/readyz`;
  await eventually(
    async () => ((await fetch(url).catch(() => undefined))?.status === status ? true : undefined),
    120_000,
    250,
  ).catch(() => {
    throw new Error(`${service}'s /readyz did not answer ${status} within 120 s`);
  });
}

describe('fault suite: a store unreachable under load', () => {
  const suite = usePlatform({
    // A saga must outlive the store's absence: its deadlines are what this scenario is not about.
    order: { ORDER_PAYMENT_TIMEOUT_MS: '90000', ORDER_STOCK_TIMEOUT_MS: '90000' },
  });
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  it('when MongoDB is unreachable under load until order and inventory report it, then they are not ready meanwhile, and once it is back every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad('MongoDB unreachable', { suite, catalogue, seed: 601 }, async () => {
      await infra('down', 'ferretdb');
      try {
        await Promise.all([readiness(suite, 'order', 503), readiness(suite, 'inventory', 503)]);
      } finally {
        await infra('up', 'ferretdb');
      }
      await Promise.all([readiness(suite, 'order', 200), readiness(suite, 'inventory', 200)]);
    });
    expect(figures.violations).toEqual([]);
  });

  it('when Cassandra is unreachable under load until payment and notification report it, then they are not ready meanwhile, and once it is back every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad('Cassandra unreachable', { suite, catalogue, seed: 602 }, async () => {
      await infra('down', 'cassandra');
      try {
        await Promise.all([readiness(suite, 'payment', 503), readiness(suite, 'notification', 503)]);
      } finally {
        await infra('up', 'cassandra');
      }
      await Promise.all([readiness(suite, 'payment', 200), readiness(suite, 'notification', 200)]);
    });
    expect(figures.violations).toEqual([]);
  });
});
