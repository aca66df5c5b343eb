import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';
import { usePlatform } from '../test/platform-suite';
import type { ServiceName } from '../test/platform';

/**
 * Scenario 1 of the fault suite: each service SIGKILLed while sagas are in flight under a steady
 * stream of orders, then restarted; then two at once. Nothing is lost: every order placed ends
 * CONFIRMED or CANCELLED with its reason, and the invariants hold over all of them.
 * The payment provider simulator is not among them: it keeps its charges in memory, as a stand-in
 * for a provider that does not lose them (its outages are the provider scenarios).
 */
jest.setTimeout(600_000);

describe('fault suite: processes killed under load', () => {
  const suite = usePlatform();
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  const kill = async (names: ServiceName[]) => {
    await Promise.all(names.map((name) => suite.platform.kill(name)));
    await Promise.all(names.map((name) => suite.platform.restart(name)));
  };

  it.each<[ServiceName, number]>([
    ['order', 101],
    ['inventory', 102],
    ['payment', 103],
    ['notification', 104],
    ['auth', 105],
    ['gateway', 106],
  ])(
    'when %s is SIGKILLed mid-saga under load and restarted, then every order ends and no invariant breaks',
    async (name, seed) => {
      const figures = await runUnderLoad(`SIGKILL ${name}`, { suite, catalogue, seed }, () => kill([name]));
      expect(figures.violations).toEqual([]);
    },
  );

  it('when order and payment are SIGKILLed at once under load and restarted, then every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad(
      'SIGKILL order and payment at once',
      { suite, catalogue, seed: 108 },
      () => kill(['order', 'payment']),
    );
    expect(figures.violations).toEqual([]);
  });
});
