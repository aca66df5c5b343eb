import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import type { MessageDefinition, PayloadOf } from '@platform/contracts';

export const kafkaBrokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';

/** One message as a consumer of the topic sees it on the wire. */
export interface WireMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  data: Record<string, unknown>;
}

/**
 * The platform's Kafka wire format (docs/events.md#envelope: CloudEvents 1.0, binary mode), written
 * and read by hand as a foreign client would, so these tests check the contract rather than reuse the
 * library that implements it.
 */
export class KafkaWire {
  private readonly kafka = new Kafka({
    clientId: 'platform-e2e',
    brokers: kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  private readonly producer: Producer = this.kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  private readonly consumers: Consumer[] = [];
  private closing = false;
  private readonly received: WireMessage[] = [];
  /** `topic/partition` → the highest offset recorded there. */
  private readonly recordedUpTo = new Map<string, bigint>();

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Publishes a message as the platform's producers do; returns its `ce_id`. */
  async publish<TDefinition extends MessageDefinition>(
    definition: TDefinition,
    data: PayloadOf<TDefinition>,
    options: { id?: string; traceparent?: string; topic?: string } = {},
  ): Promise<string> {
    const id = options.id ?? randomUUID();
    const key = String((data as Record<string, unknown>)[definition.keyField]);
    const headers: IHeaders = {
      ce_specversion: '1.0',
      ce_id: id,
      ce_type: definition.type,
      ce_source: 'platform-e2e',
      ce_time: new Date().toISOString(),
      ce_subject: key,
      'content-type': 'application/json',
      ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    };
    await this.publishRaw(options.topic ?? definition.topic, key, JSON.stringify(data), headers);
    return id;
  }

  /** Sends any bytes: what a broken producer does. */
  async publishRaw(topic: string, key: string, value: string, headers: IHeaders): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
  }

  /** Records every message of `topics` from their beginning (tests pick theirs out by key or id). */
  async record(topics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `platform-e2e-${randomUUID()}` });
    this.consumers.push(consumer);
    // kafkajs restarts a consumer after a retriable crash (the broker-restart scenario), and a
    // disconnect during that restart does not stop it (kafkajs#1639): the restarted member then
    // keeps the test process alive. One that joins after close() is disconnected again.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.closing) void consumer.disconnect();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(message.value?.toString() ?? 'null') ?? {};
        } catch {
          // A malformed record: kept with empty data, found by its headers.
        }
        this.received.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          headers,
          data,
        });
        const position = `${topic}/${partition}`;
        const offset = BigInt(message.offset);
        if (offset > (this.recordedUpTo.get(position) ?? -1n)) this.recordedUpTo.set(position, offset);
      },
    });
  }

  /** How many messages were recorded so far, on every topic. */
  get recordedCount(): number {
    return this.received.length;
  }

  /** Everything received so far, in the order it arrived. */
  recorded(): readonly WireMessage[] {
    return this.received;
  }

  /** What was received so far on `topic` with this key. */
  messagesOf(topic: string, key: string): WireMessage[] {
    return this.received.filter((message) => message.topic === topic && message.key === key);
  }

  /** Messages whose `ce_type` is the definition's, with this key. */
  eventsOf(definition: MessageDefinition, key: string): WireMessage[] {
    return this.messagesOf(definition.topic, key).filter(
      (message) => message.headers['ce_type'] === definition.type,
    );
  }

  /** Whether every message on `topics` now has been recorded (so a test may count them). */
  async recordedAll(topics: string[]): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of topics)
        for (const { partition, high } of await admin.fetchTopicOffsets(topic))
          if (BigInt(high) > (this.recordedUpTo.get(`${topic}/${partition}`) ?? -1n) + 1n) return false;
      return true;
    } finally {
      await admin.disconnect();
    }
  }

  /** How far `groupId` is behind the end of `topic`, summed over the partitions. */
  async lagOf(groupId: string, topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.reduce((lag, { partition, high }) => {
        const offset = committed?.partitions.find((each) => each.partition === partition)?.offset ?? '-1';
        return lag + Number(high) - (offset === '-1' ? 0 : Number(offset));
      }, 0);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
    await this.producer.disconnect();
  }
}
