import { Registry } from 'prom-client';
import { createMessagingMetrics } from '../src';
import { partitionLag } from '../src/metrics/consumer-lag';
import { KafkaConsumerLag, type LagAdmin } from '../src/metrics/kafka-consumer-lag';
import { metricSamples, metricValue } from './support/metrics-reading';

/** An admin answering from fixed offsets; `failConnects` connections fail first. */
function fakeAdmin(failConnects: number) {
  const state = { connects: 0, disconnects: 0 };
  const admin: LagAdmin = {
    connect: async () => {
      state.connects += 1;
      if (state.connects <= failConnects) throw new Error('broker down');
    },
    disconnect: async () => void (state.disconnects += 1),
    fetchTopicOffsets: async () => [
      { partition: 0, offset: '10', high: '10', low: '0' },
      { partition: 1, offset: '4', high: '4', low: '2' },
    ],
    fetchOffsets: (async ({ topics }: { topics: string[] }) =>
      topics.map((topic) => ({
        topic,
        partitions: [
          { partition: 0, offset: '7', metadata: null },
          { partition: 1, offset: '-1', metadata: null },
        ],
      }))) as LagAdmin['fetchOffsets'],
  };
  return { admin, state };
}

describe('partitionLag', () => {
  it.each([
    ['a committed offset', { low: 0, high: 10 }, 7, 3],
    ['nothing committed: all that is retained', { low: 2, high: 4 }, -1, 2],
    ['a committed offset below the retained start', { low: 5, high: 9 }, 1, 4],
    ['a committed offset at the end', { low: 0, high: 9 }, 9, 0],
  ])('when it is %s, then the lag is what is left to read', (_, ends, committed, lag) => {
    expect(partitionLag(ends, committed)).toBe(lag);
  });
});

describe('KafkaConsumerLag', () => {
  it('when the broker answers, then each watched partition reports its lag', async () => {
    const registry = new Registry();
    const { admin } = fakeAdmin(0);
    const lag = new KafkaConsumerLag(() => admin, createMessagingMetrics(registry));
    lag.watch('billing', ['orders.events.v1']);

    expect(await metricValue(registry, 'messaging_consumer_lag', { group: 'billing', partition: '0' })).toBe(
      3,
    );
    expect(await metricValue(registry, 'messaging_consumer_lag', { group: 'billing', partition: '1' })).toBe(
      2,
    );
  });

  it('when the admin cannot connect, then the scrape counts a failure, and the next scrape connects again', async () => {
    const registry = new Registry();
    const { admin, state } = fakeAdmin(1);
    const lag = new KafkaConsumerLag(() => admin, createMessagingMetrics(registry));
    lag.watch('billing', ['orders.events.v1']);

    expect(await metricValue(registry, 'messaging_consumer_lag')).toBe(0);
    expect(await metricValue(registry, 'messaging_consumer_lag_failures_total')).toBe(1);
    expect(await metricValue(registry, 'messaging_consumer_lag')).toBe(5);
    expect(state.connects).toBe(2);
  });

  it('when it is closed, then the admin disconnects and the lag is no longer reported', async () => {
    const registry = new Registry();
    const { admin, state } = fakeAdmin(0);
    const lag = new KafkaConsumerLag(() => admin, createMessagingMetrics(registry));
    lag.watch('billing', ['orders.events.v1']);
    expect(await metricValue(registry, 'messaging_consumer_lag')).toBe(5);

    await lag.close();

    expect(state.disconnects).toBe(1);
    expect(await metricSamples(registry, 'messaging_consumer_lag')).toEqual([]);
  });
});
