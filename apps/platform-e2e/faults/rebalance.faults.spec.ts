import { eventually, type ServiceProcess } from '@platform/testing';
import type { ServiceName } from '../test/platform';
import { usePlatform } from '../test/platform-suite';
import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';

/**
 * Scenario 2 of the fault suite: two instances each of order, payment and inventory, sharing their
 * stores and consumer groups, and one of each SIGKILLed at once under a steady stream of orders.
 * The killed members hold their partitions until their sessions time out (10 s); then the groups
 * rebalance onto the survivors, which take over the sagas, reservations and payments in flight.
 */
jest.setTimeout(600_000);

const scaled: ServiceName[] = ['order', 'payment', 'inventory'];

describe('fault suite: a rebalance under load', () => {
  const suite = usePlatform();
  let catalogue: Catalogue;
  const second = new Map<ServiceName, ServiceProcess>();

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
    for (const name of scaled) second.set(name, await suite.platform.startInstance(name));
    // Ready includes having joined the consumer groups: both members then share the partitions.
    await eventually(
      async () => {
        const answers = await Promise.all(
          [...second.values()].map((instance) =>
            fetch(`${instance.operationsUrl}/readyz`).then(
              (response) => response.status,
              () => 0,
            ),
          ),
        );
        return answers.every((status) => status === 200) ? true : undefined;
      },
      120_000,
      250,
    ).catch(() => {
      throw new Error('the second instances of order, payment and inventory were not ready within 120 s');
    });
  });

  it('when one of two instances of order, payment and inventory is SIGKILLed under load, then the groups rebalance, every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad(
      'one of two instances of order, payment and inventory SIGKILLed',
      { suite, catalogue, seed: 251 },
      async () => {
        await Promise.all([...second.values()].map((instance) => instance.stop('SIGKILL')));
      },
    );
    expect(figures.violations).toEqual([]);
  });
});
