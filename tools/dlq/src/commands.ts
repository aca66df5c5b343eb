import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import type { Command } from './args.ts';
import { formatMessages, formatRecord, formatTopicCounts } from './format.ts';
import {
  connectAdmin,
  countMessages,
  kafkaOf,
  OperatorError,
  readTopic,
  requireTopic,
} from './kafka-client.ts';
import { ensureLedger, ledgerEntryOf, readLedger } from './ledger.ts';
import { planReplay } from './replay-plan.ts';
import { ceHeaders, deadLetterSuffix, positionOf } from './wire.ts';

type Print = (text: string) => void;
type KafkaCommand = Exclude<Command, { name: 'help' }>;

/** Runs a command against the brokers it names; resolves to the exit code. */
export async function runCommand(command: KafkaCommand, print: Print): Promise<number> {
  const kafka = kafkaOf(command.brokers);
  const admin = await connectAdmin(kafka, command.brokers);
  try {
    switch (command.name) {
      case 'list':
        return await list(kafka, admin, command.topic, print);
      case 'inspect':
        return await inspect(kafka, admin, command, print);
      case 'replay':
        return await replay(kafka, admin, command, print);
    }
  } finally {
    await admin.disconnect();
  }
}

async function list(kafka: Kafka, admin: Admin, topic: string | undefined, print: Print): Promise<number> {
  if (topic === undefined) {
    const topics = (await admin.listTopics()).filter((name) => name.endsWith(deadLetterSuffix)).sort();
    const counts = await Promise.all(
      topics.map(async (name) => ({ topic: name, messages: await countMessages(admin, name) })),
    );
    print(formatTopicCounts(counts));
    return 0;
  }
  await requireTopic(admin, topic);
  const [records, replayed] = await Promise.all([
    readTopic(kafka, admin, topic),
    readLedger(kafka, admin, topic),
  ]);
  print(formatMessages(topic, records, replayed));
  return 0;
}

async function inspect(
  kafka: Kafka,
  admin: Admin,
  { topic, partition, offset }: Extract<Command, { name: 'inspect' }>,
  print: Print,
): Promise<number> {
  await requireTopic(admin, topic);
  const record = (await readTopic(kafka, admin, topic)).find(
    (candidate) => candidate.partition === partition && candidate.offset === offset,
  );
  if (!record) throw new OperatorError(`${topic} has no message at ${partition}:${offset}`);
  print(formatRecord(record));
  return 0;
}

async function replay(
  kafka: Kafka,
  admin: Admin,
  { topic, select }: Extract<Command, { name: 'replay' }>,
  print: Print,
): Promise<number> {
  await requireTopic(admin, topic);
  const [records, replayed] = await Promise.all([
    readTopic(kafka, admin, topic),
    readLedger(kafka, admin, topic),
  ]);
  const plan = planReplay(records, replayed, select);
  for (const record of plan.alreadyReplayed)
    print(`skipped ${positionOf(record)} (ce_id ${record.headers[ceHeaders.id] ?? '-'}): replayed before`);
  if (plan.toReplay.length === 0) {
    print(`nothing to replay from ${topic}`);
    return 0;
  }
  for (const target of new Set(plan.toReplay.map(({ replay: { topic: to } }) => to)))
    await requireTopic(admin, target);
  const ledger = await ensureLedger(admin, topic);
  // Idempotent with acks=all, like the services' producer: a retried send is not written twice.
  const producer = kafka.producer({
    // The services' partitioner, so a replayed message lands on its key's partition.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (const { record, replay: sent } of plan.toReplay) {
      await producer.send({
        topic: sent.topic,
        acks: -1,
        messages: [{ key: sent.key, value: sent.value, headers: sent.headers }],
      });
      // After the send: a crash in between replays the message again next time, and its ce_id lets
      // the consumers' inboxes drop the second copy; the other order could lose it.
      await producer.send({
        topic: ledger,
        acks: -1,
        messages: [ledgerEntryOf(record, sent.topic, new Date())],
      });
      print(
        `replayed ${positionOf(record)} (ce_id ${record.headers[ceHeaders.id] ?? '-'}, ${record.headers[ceHeaders.type] ?? '-'}) → ${sent.topic}`,
      );
    }
  } finally {
    await producer.disconnect();
  }
  print(`replayed ${plan.toReplay.length} message(s) from ${topic}`);
  return 0;
}
