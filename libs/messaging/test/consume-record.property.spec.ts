import fc from 'fast-check';
import { allMessageDefinitions, allTopics, keyOf, messageExamples } from '@platform/contracts';
import { contractCatalog, deadLetterHeaders, deadLetterTopicOf, toKafkaMessage } from '../src';
import { consumeRecord, handlerTableOf, type ConsumingContext } from '../src/consuming/record-dispatch';
import type { ConsumedRecord, WireRecord } from '../src/wire-record';

/**
 * The decode-and-handle path every consumer runs (`consumeRecord`, shared by the kafkajs and the
 * in-memory consumers) fed arbitrary bytes and headers, and valid messages of every type mutated
 * near their schema: it never throws (the partition would stop on that offset), a bad record is
 * parked in its topic's DLQ with a reason, a good one reaches its handler, and nothing else happens.
 */
interface Sent {
  topic: string;
  record: WireRecord;
}

function consumer() {
  const handled: string[] = [];
  const sent: Sent[] = [];
  const context: ConsumingContext = {
    catalog: contractCatalog,
    handlers: handlerTableOf(
      allMessageDefinitions.map((definition) => ({
        topic: definition.topic,
        type: definition.type,
        handle: async (message) => void handled.push(message.id),
      })),
    ),
    groupId: 'property-group',
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    random: () => 0.5,
    send: async (topic, record) => void sent.push({ topic, record }),
  };
  return { context, handled, sent };
}

let offset = 0;
const consumed = (topic: string, record: WireRecord): ConsumedRecord => ({
  ...record,
  topic,
  partition: 0,
  offset: String((offset += 1)),
});

/** Exactly one of: handled, parked in the DLQ with a reason. */
function expectHandledOrParked(run: ReturnType<typeof consumer>, topic: string): 'handled' | 'parked' {
  if (run.handled.length === 1) {
    expect(run.sent).toEqual([]);
    return 'handled';
  }
  expect(run.handled).toEqual([]);
  expect(run.sent).toHaveLength(1);
  expect(run.sent[0]?.topic).toBe(deadLetterTopicOf(topic));
  expect(run.sent[0]?.record.headers[deadLetterHeaders.reason]).toMatch(/\S/);
  return 'parked';
}

const headerArbitrary = fc.dictionary(
  fc.oneof(
    fc.constantFrom('ce_type', 'ce_id', 'ce_specversion', 'ce_source', 'content-type', 'traceparent'),
    fc.string(),
  ),
  fc.string({ maxLength: 80 }),
  { maxKeys: 8 },
);

/** A valid record of a message type, its envelope as a producer writes it. */
function validRecordOf(name: string): WireRecord {
  const definition = allMessageDefinitions.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(name);
  const data = messageExamples[name]?.valid ?? {};
  return toKafkaMessage({
    topic: definition.topic,
    type: definition.type,
    source: 'property-test',
    key: String(data[definition.keyField]),
    data,
  });
}

/** One field changed: removed, a wrong type, a huge string, a non-finite-looking number, an extra field. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('replace' as const),
    pick: fc.nat(),
    value: fc.oneof(
      fc.constant(null),
      fc.constant('x'.repeat(20_000)),
      fc.constantFrom(-1, 0, 1e308, -1e308, 0.5, 2 ** 53 + 1),
      fc.string(),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.constant({ $gt: '' }),
    ),
  }),
  fc.record({
    kind: fc.constant('extra' as const),
    field: fc.string({ minLength: 1 }),
    value: fc.jsonValue(),
  }),
);

/** Each envelope header broken: an unknown type, another spec version, a body that is not JSON (the id: missing). */
const brokenValue: Record<string, string> = {
  ce_type: 'platform.unknown.v9',
  ce_specversion: '0.3',
  'content-type': 'text/plain',
};

describe('consumeRecord under hostile records (fast-check)', () => {
  it('when a record of any topic carries arbitrary bytes and headers, then it is parked in that topic’s DLQ with a reason, never thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...allTopics),
        fc.option(fc.uint8Array({ maxLength: 512 }), { nil: null }),
        headerArbitrary,
        fc.option(fc.string({ maxLength: 40 }), { nil: null }),
        async (topic, value, headers, key) => {
          const run = consumer();
          await consumeRecord(
            run.context,
            { sourceTopic: topic, retry: 0 },
            consumed(topic, { key, value: value === null ? null : Buffer.from(value), headers }),
          );
          expect(expectHandledOrParked(run, topic)).toBe('parked');
        },
      ),
      { numRuns: 1000, seed: 20261204 },
    );
  });

  it('when a valid message of any type has one field mutated, or its envelope headers broken, then it is handled if still valid and parked with a reason otherwise, never thrown', async () => {
    const names = allMessageDefinitions.map((definition) => definition.name);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        mutation,
        fc.option(fc.constantFrom('ce_type', 'ce_specversion', 'ce_id', 'content-type'), { nil: undefined }),
        async (name, change, brokenHeader) => {
          const definition = allMessageDefinitions.find((candidate) => candidate.name === name);
          if (!definition) throw new Error(name);
          const record = validRecordOf(name);
          const data = JSON.parse(String(record.value)) as Record<string, unknown>;
          const fields = Object.keys(data);
          if (change.kind === 'remove') delete data[fields[change.pick % fields.length] as string];
          if (change.kind === 'replace') data[fields[change.pick % fields.length] as string] = change.value;
          if (change.kind === 'extra') data[change.field] = change.value;
          const headers = { ...record.headers };
          if (brokenHeader === 'ce_id') delete headers[brokenHeader];
          else if (brokenHeader) headers[brokenHeader] = brokenValue[brokenHeader] ?? '';
          const run = consumer();
          await consumeRecord(
            run.context,
            { sourceTopic: definition.topic, retry: 0 },
            consumed(definition.topic, { ...record, headers, value: Buffer.from(JSON.stringify(data)) }),
          );
          const outcome = expectHandledOrParked(run, definition.topic);
          // Still valid: the envelope is intact, the schema accepts the payload, and the key is still its aggregate id.
          const parsed = definition.schema.safeParse(data);
          const stillValid = !brokenHeader && parsed.success && keyOf(definition, parsed.data) === record.key;
          expect({ name, outcome }).toEqual({ name, outcome: stillValid ? 'handled' : 'parked' });
        },
      ),
      { numRuns: 1500, seed: 20261204 },
    );
  });

  it('when each message type’s example is consumed as written, then its handler runs (the baseline the mutations depart from)', async () => {
    for (const definition of allMessageDefinitions) {
      const run = consumer();
      await consumeRecord(
        run.context,
        { sourceTopic: definition.topic, retry: 0 },
        consumed(definition.topic, validRecordOf(definition.name)),
      );
      expect({ name: definition.name, outcome: expectHandledOrParked(run, definition.topic) }).toEqual({
        name: definition.name,
        outcome: 'handled',
      });
    }
  });
});
