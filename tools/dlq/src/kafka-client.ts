import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import type { TopicRecord } from './wire.ts';

/** An error the tool explains to the operator: printed as it is, exit code 1. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

/** A client that gives up quickly: an operator waiting on a dead broker wants to know now. */
export function kafkaOf(brokers: string[]): Kafka {
  return new Kafka({
    clientId: 'dlq-tool',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 2, initialRetryTime: 300 },
  });
}

export async function connectAdmin(kafka: Kafka, brokers: string[]): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return admin;
  } catch (error) {
    throw new OperatorError(`cannot reach Kafka at ${brokers.join(',')}: ${messageOf(error)}`);
  }
}

export async function requireTopic(admin: Admin, topic: string): Promise<void> {
  if (!(await admin.listTopics()).includes(topic)) throw new OperatorError(`topic ${topic} does not exist`);
}

/**
 * A topic created moments ago (a fresh broker, a service's first start, the replay ledger) may
 * answer a retriable "does not host this topic-partition" until its leader is known: asks again,
 * up to 20 times, where the client's own two quick retries would give up. (libs/messaging does the
 * same for the services; this tool runs from source without the workspace's path aliases, so it
 * cannot import it.)
 */
export async function whileLeadershipSettles<T>(work: () => Promise<T>, delayMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Messages retained per partition: high watermark − low watermark. */
export async function countMessages(admin: Admin, topic: string): Promise<number> {
  const partitions = await whileLeadershipSettles(() => admin.fetchTopicOffsets(topic));
  return partitions.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

/**
 * Every record of `topic` up to its high watermarks at the time of the call, partition by partition
 * in offset order. A throwaway consumer group with nothing committed reads it and is deleted after.
 */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  timeoutMs = 30_000,
): Promise<TopicRecord[]> {
  const ends = new Map(
    (await whileLeadershipSettles(() => admin.fetchTopicOffsets(topic)))
      .filter(({ high, low }) => Number(high) > Number(low))
      .map(({ partition, high }) => [partition, BigInt(high)]),
  );
  if (ends.size === 0) return [];
  const groupId = `dlq-tool-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const records: TopicRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new OperatorError(`reading ${topic} did not reach its end within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            records.push({
              topic,
              partition,
              offset: message.offset,
              timestamp: Number(message.timestamp),
              key: message.key?.toString('utf8') ?? null,
              value: message.value,
              headers: headersOf(message.headers),
            });
            if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) result[name] = last.toString();
  }
  return result;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
