import type { ServiceName } from '../test/platform';
import { usePlatform } from '../test/platform-suite';
import { stockTheShop, runUnderLoad, type Catalogue } from './fault-run';

/**
 * Scenario 9 of the fault suite: a rolling restart under a steady stream of orders. Every service
 * behind the gateway runs as two instances (the gateway, and the order service for prices, call
 * them in turn); each instance in turn gets SIGTERM, drains (in-flight requests and handlers finish,
 * consumers leave their groups), exits, starts again, and is ready and called by the gateway again
 * (its circuit for the instance closed, as a load balancer waits for readiness), and the platform
 * has caught up (every order accepted so far has ended, as a careful rollout pauses until the last
 * step's disruption is worked off) before the next goes. The gateway itself is one process here:
 * restarting it without a load balancer in front of two would refuse connections, which is the
 * load balancer's part, not the platform's.
 */
jest.setTimeout(900_000);

const rolled: ServiceName[] = ['auth', 'inventory', 'notification', 'payment', 'order'];

describe('fault suite: a rolling restart under load', () => {
  const suite = usePlatform(
    {
      // The admission limit fixed at its maximum, as before it adapted: with two instances of every
      // service on two cores, orders take longer than the limit's 4 s target to be decided even at
      // this load, and it sheds (overload is scenario 10's subject, not this one's; docs/testing.md).
      order: { ORDER_MIN_UNFINISHED: '200' },
    },
    rolled,
  );
  let catalogue: Catalogue;

  beforeAll(async () => {
    catalogue = await stockTheShop(suite);
  });

  it('when every instance of every service behind the gateway is restarted in turn with SIGTERM, then no request fails at the gateway, every order ends and no invariant breaks', async () => {
    const figures = await runUnderLoad(
      'rolling restart of every service behind the gateway',
      // Two a second, half the four of the other scenarios: with one core kept busy the platform
      // decided about four a second with one instance of each service (the overload scenario's
      // figure) on a fast day, and less with two; on a day when the machine was a quarter slower,
      // three a second was over that with two instances, and with the limit held open the backlog
      // timed out. At the machine's capacity a rollout tests overload, not draining.
      { suite, catalogue, seed: 901, ordersPerSecond: 2 },
      async ({ load, caughtUp }) => {
        for (const name of rolled) {
          const before = load.figuresSoFar().retriedAfter;
          await suite.platform.rollingRestart(name, caughtUp);
          const during = Object.entries(load.figuresSoFar().retriedAfter)
            .map(([why, count]) => [why, count - (before[why] ?? 0)] as const)
            .filter(([, count]) => count > 0);
          // Which restart cost what, for whoever reads a failure.
          process.stdout.write(
            `rolling restart of ${name}: asked again after ${JSON.stringify(Object.fromEntries(during))}\n`,
          );
        }
      },
    );
    expect(figures.violations).toEqual([]);
    // Not one request answered 5xx or 429, or left unanswered: none had to be asked again.
    expect(figures.load.retriedAfter).toEqual({});
    expect(figures.load.refused).toEqual({});
    expect(figures.load.unanswered).toBe(0);
  });
});
