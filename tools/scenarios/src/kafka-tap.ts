/**
 * The platform's Kafka topics as a scenario touches them from outside, the way an operator's tool
 * would: records written in the platform's wire format (CloudEvents 1.0, binary mode; see
 * docs/events.md#envelope), found by key, and published again byte for byte.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type IHeaders, type Producer } from 'kafkajs';

export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Where each partition of a topic ends now: records after it are new. */
export type Marks = Map<number, bigint>;

export class KafkaTap {
  readonly brokers: string;
  private readonly kafka: Kafka;
  private readonly producer: Producer;

  constructor(brokers: string) {
    this.brokers = brokers;
    this.kafka = new Kafka({
      clientId: 'scenarios',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Writes a message as the platform's producers do; returns its `ce_id`. */
  async publish(
    topic: string,
    type: string,
    key: string,
    data: unknown,
    traceparent?: string,
  ): Promise<string> {
    const id = randomUUID();
    const headers: IHeaders = {
      ce_specversion: '1.0',
      ce_id: id,
      ce_type: type,
      ce_source: 'scenarios',
      ce_time: new Date().toISOString(),
      ce_subject: key,
      'content-type': 'application/json',
      ...(traceparent ? { traceparent } : {}),
    };
    await this.producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify(data), headers }] });
    return id;
  }

  /** Publishes a record again, unchanged: the same key, value and headers (so the same `ce_id`). */
  async republish(record: TopicRecord): Promise<void> {
    await this.producer.send({
      topic: record.topic,
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
  }

  async marks(topic: string): Promise<Marks> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The first record of `topic` that `matches`, reading each partition from `from` (default: the
   * last 1,000 records of each) to its end, polling until one arrives or `timeoutMs` passes.
   */
  async find(
    topic: string,
    matches: (record: TopicRecord) => boolean,
    options: { from?: Marks; timeoutMs?: number } = {},
  ): Promise<TopicRecord> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const from =
      options.from ??
      new Map([...(await this.marks(topic))].map(([p, high]) => [p, high > 1000n ? high - 1000n : 0n]));
    const consumer = this.kafka.consumer({ groupId: `scenarios-${randomUUID()}` });
    let found: TopicRecord | undefined;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (found) return;
          const record: TopicRecord = {
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
            ),
          };
          if (matches(record)) found = record;
        },
      });
      for (const [partition, offset] of from) consumer.seek({ topic, partition, offset: String(offset) });
      while (!found && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await consumer.disconnect();
    }
    if (!found) throw new Error(`no matching record on ${topic} within ${options.timeoutMs ?? 60_000} ms`);
    return found;
  }
}
