import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';
import { usePlatform } from '../test/platform-suite';
import type { ProviderFaults } from '../test/provider-simulator';

/**
 * Scenario 5 of the fault suite: the payment provider slow past the payment service's timeout,
 * failing half of its calls, and down, each under a steady stream of orders for as long as it
 * takes 8 orders placed meanwhile to end. Orders end CANCELLED (TIMEOUT, PAYMENT_UNAVAILABLE) or
 * CONFIRMED; no order is charged twice or charged while cancelled; late charges are refunded.
 */
jest.setTimeout(600_000);

describe('fault suite: the payment provider slow, failing and down under load', () => {
  const suite = usePlatform({
    payment: {
      PROVIDER_TIMEOUT_MS: '1000',
      PROVIDER_BREAKER_RESET_MS: '5000',
      PAYMENT_RECONCILE_INTERVAL_MS: '500',
    },
    order: { ORDER_PAYMENT_TIMEOUT_MS: '4000' },
  });
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  it.each<[string, ProviderFaults, number]>([
    ['slow past the payment timeout (1.5 s)', { latencyMs: 1500 }, 201],
    ['failing half of its calls', { errorRate: 0.5 }, 202],
    ['down', { outage: true }, 203],
  ])(
    'when the provider is %s under load, then every order ends, none is charged wrongly, and orders are confirmed after it',
    async (what, faults, seed) => {
      const figures = await runUnderLoad(
        `payment provider ${what}`,
        { suite, catalogue, seed },
        async ({ decidedFromNow }) => {
          await suite.provider.setFaults(faults);
          try {
            await decidedFromNow(8);
          } finally {
            await suite.provider.clearFaults();
          }
        },
      );
      expect(figures.violations).toEqual([]);
    },
  );
});
