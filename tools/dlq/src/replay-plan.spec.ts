import { OperatorError } from './kafka-client.ts';
import { planReplay } from './replay-plan.ts';
import type { TopicRecord } from './wire.ts';

function parked(
  partition: number,
  offset: string,
  ceId: string,
  extra: Record<string, string> = {},
): TopicRecord {
  return {
    topic: 'users.events.v1.dlq',
    partition,
    offset,
    timestamp: 0,
    key: `key-${ceId}`,
    value: Buffer.from('{}'),
    headers: {
      ce_id: ceId,
      ce_type: 'platform.users.user-registered.v1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'dlq-reason': 'handler failed: Error: x',
      'dlq-original-topic': 'users.events.v1',
      'dlq-original-partition': '2',
      'dlq-attempts': '4',
      ...extra,
    },
  };
}

describe('planReplay', () => {
  it('when all are selected, then every record the ledger has not seen goes back to its original topic, as first published', () => {
    const [a, b, c] = [
      parked(0, '0', 'a'),
      parked(0, '1', 'b'),
      parked(2, '0', 'c', { 'retry-attempt': '3' }),
    ];

    const plan = planReplay([a, b, c], new Set(['0:1']), { all: true });

    expect(plan.alreadyReplayed).toEqual([b]);
    expect(plan.toReplay.map(({ replay }) => replay)).toEqual([
      {
        topic: 'users.events.v1',
        key: 'key-a',
        value: a.value,
        headers: {
          ce_id: 'a',
          ce_type: 'platform.users.user-registered.v1',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
      },
      expect.objectContaining({
        topic: 'users.events.v1',
        key: 'key-c',
        headers: expect.objectContaining({ ce_id: 'c' }),
      }),
    ]);
    expect(Object.keys(plan.toReplay[1]?.replay.headers ?? {})).not.toContain('retry-attempt');
    expect(plan.toReplay).toHaveLength(2);
  });

  it('when an id is selected, then only its records are planned', () => {
    const records = [parked(0, '0', 'a'), parked(1, '0', 'b')];

    const plan = planReplay(records, new Set(), { id: 'b' });

    expect(plan.toReplay.map(({ record }) => record)).toEqual([records[1]]);
  });

  it('when the selected record was replayed, then nothing is planned and it is reported', () => {
    const records = [parked(0, '0', 'a')];

    expect(planReplay(records, new Set(['0:0']), { id: 'a' })).toEqual({
      toReplay: [],
      alreadyReplayed: records,
    });
  });

  it('when no record has the id, then it is an error', () => {
    expect(() => planReplay([parked(0, '0', 'a')], new Set(), { id: 'zzz' })).toThrow(
      new OperatorError('no message with ce_id zzz in users.events.v1.dlq'),
    );
  });

  it('when a selected record does not name its original topic, then the whole replay is refused before sending', () => {
    const broken = parked(0, '3', 'a');
    delete broken.headers['dlq-original-topic'];

    expect(() => planReplay([parked(0, '0', 'b'), broken], new Set(), { all: true })).toThrow(
      /0:3 has no dlq-original-topic header/,
    );
  });
});
