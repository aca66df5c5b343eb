import { formatMessages, formatRecord, formatTopicCounts } from './format.ts';
import type { TopicRecord } from './wire.ts';

const parked: TopicRecord = {
  topic: 'users.events.v1.dlq',
  partition: 1,
  offset: '7',
  timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
  key: 'user-1',
  value: Buffer.from('{"userId":"user-1","name":"Ada"}'),
  headers: {
    ce_id: 'event-1',
    ce_type: 'platform.users.user-registered.v1',
    'dlq-reason': 'handler failed: Error: store\nunavailable',
    'dlq-attempts': '4',
    'dlq-original-topic': 'users.events.v1',
  },
};

describe('formatting', () => {
  it('when topics are listed, then each has its count, and an empty list says there are none', () => {
    expect(formatTopicCounts([{ topic: 'a.dlq', messages: 12 }]).split('\n')).toEqual([
      'TOPIC  MESSAGES',
      '-----  --------',
      'a.dlq  12',
    ]);
    expect(formatTopicCounts([])).toBe('no dead-letter topics (*.dlq)');
  });

  it('when messages are listed, then each line has its position, time, type, id, attempts, replay state and reason on one line', () => {
    const lines = formatMessages('users.events.v1.dlq', [parked], new Set(['1:7'])).split('\n');

    expect(lines[0]).toMatch(/^OFFSET\s+PARKED AT\s+CE_TYPE\s+CE_ID\s+ATTEMPTS\s+REPLAYED\s+REASON$/);
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      '1:7',
      '2026-01-02T03:04:05.000Z',
      'platform.users.user-registered.v1',
      'event-1',
      '4',
      'yes',
      'handler failed: Error: store unavailable',
    ]);
    expect(formatMessages('t.dlq', [], new Set())).toBe('t.dlq: no messages');
  });

  it('when a header is missing, then its column shows a dash', () => {
    const bare = { ...parked, headers: {} };

    expect(formatMessages('t.dlq', [bare], new Set()).split('\n')[2]).toMatch(
      /^1:7\s+\S+\s+-\s+-\s+-\s+no\s+-$/,
    );
  });

  it('when a record is inspected, then its headers are sorted and its value is pretty JSON', () => {
    const text = formatRecord(parked);

    expect(text).toContain('users.events.v1.dlq 1:7  parked at 2026-01-02T03:04:05.000Z');
    expect(text).toContain('key: user-1');
    expect(text.indexOf('ce_id')).toBeLessThan(text.indexOf('dlq-reason'));
    expect(text).toContain('{\n  "userId": "user-1",\n  "name": "Ada"\n}');
  });

  it('when the value is not JSON or absent, then it is shown as it is', () => {
    expect(formatRecord({ ...parked, value: Buffer.from('{oops') })).toContain('{oops\n(not JSON)');
    expect(formatRecord({ ...parked, value: null })).toMatch(/value:\n\(none\)$/);
  });
});
