import { planLoad } from './load-plan.ts';

describe('planLoad', () => {
  it('when no rate is held, then one instance runs every connection flat out', () => {
    expect(planLoad(10)).toEqual({ phases: [{ startDelayMs: 0, connections: 10 }] });
  });

  it('when a rate is held, then each connection is its own instance, started evenly over one second', () => {
    const plan = planLoad(4, 1000);
    expect(plan.phases).toEqual([
      { startDelayMs: 0, connections: 1, connectionRate: 250 },
      { startDelayMs: 250, connections: 1, connectionRate: 250 },
      { startDelayMs: 500, connections: 1, connectionRate: 250 },
      { startDelayMs: 750, connections: 1, connectionRate: 250 },
    ]);
    expect(plan.targetRate).toBe(1000);
    expect(plan.expectedIntervalMs).toBe(4);
  });

  it('when the rate does not divide by the connections, then the target says what is really asked', () => {
    const plan = planLoad(3, 1000);
    expect(plan.phases.map((phase) => phase.connectionRate)).toEqual([333, 333, 333]);
    expect(plan.targetRate).toBe(999);
  });

  it('when the rate is below one request per connection and second, then fewer connections are used', () => {
    const plan = planLoad(10, 4.6);
    expect(plan.phases).toHaveLength(4);
    expect(plan.targetRate).toBe(4);
    expect(plan.expectedIntervalMs).toBe(1000);
  });

  it('when the rate is below one request per second, then it refuses', () => {
    expect(() => planLoad(10, 0.5)).toThrow(/at least 1 request\/s/);
  });
});
