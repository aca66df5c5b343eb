import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { consumeRecord, handlerTableOf } from '../consuming/record-dispatch';
import {
  consumedTopicsOf,
  msUntilDue,
  type ConsumedTopic,
  type RetryPolicy,
} from '../consuming/retry-topics';
import type { RunningSubscription, Subscription } from '../message-bus.port';
import type { MessageCatalog } from '../message-catalog';
import type { KafkaConsumerLag } from '../metrics/kafka-consumer-lag';
import { backoffDelayMs, type RetryBackoff } from '../backoff';
import { measuredConsuming, type MeasuredConsuming } from '../metrics/measured-consuming';
import type { MessagingMetrics } from '../metrics/messaging-metrics';
import type { ConsumedRecord } from '../wire-record';
import { headersAsStrings } from './kafka-headers';
import { withLeadershipRetries } from './leadership-retries';
import type { KafkaMessagePublisher } from './kafka-message-publisher';

export interface KafkaConsumerOptions {
  catalog: MessageCatalog;
  /** Sends retries and dead letters. */
  publisher: KafkaMessagePublisher;
  retry: RetryPolicy;
  random: () => number;
  /** Records handler outcomes and durations; nothing is measured where absent. */
  metrics?: MessagingMetrics;
  /** Where the group's lag is read at scrape time. */
  lag?: KafkaConsumerLag;
  /** The member stopped for good: kafkajs crashed on an error it does not restart from. */
  onCrash?: (error: Error) => void;
  /** kafkajs gave up because no broker could be reached, or the group removed the member: it restarts itself after `delayMs`. */
  onRestart?: (error: Error, delayMs: number) => void;
}

/** Between a member's own restarts: from up to 1 s after the first, doubling, up to 30 s. */
const restartBackoff: RetryBackoff = { initialMs: 1000, maxMs: 30_000 };

/**
 * kafkajs ends these crashes for good, though what they say is that no broker answered: a group
 * coordinator not found because every broker's connection failed (as a network partition does),
 * or a non-retriable error whose cause is a connection. Seen in the fault suite: the order
 * service's member stopped for good during a cut to Kafka, and every saga after it timed out.
 */
const connectionErrors = new Set([
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/**
 * And these, though what they say is that the group went on without this member: cut off for
 * longer than its session timeout, it was removed, and its next commit or heartbeat is refused
 * (kafkajs rejoins only when its own fetch meets this, not a commit). Joining again as a new
 * member is the remedy; the uncommitted messages are delivered again, which the handlers'
 * idempotency absorbs. Seen in a busy CI run: after the fault suite's 10 s partition from Kafka (as
 * long as the session timeout) the order service's member ended on "The coordinator is not aware
 * of this member", and no order was decided after it.
 */
const forgottenMemberErrors = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);

/** Whether a crash kafkajs will not restart from is one a new start of the member gets past. */
function restartable(error: Error): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (connectionErrors.has(cause.name)) return true;
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string' && forgottenMemberErrors.has(type)) return true;
  }
  return false;
}

/** kafkajs consumer settings, chosen for delivery latency at next to no cost while idle. */
const consumerSettings = {
  // The broker answers a fetch as soon as one record is there: a message is delivered when it is written.
  minBytes: 1,
  // How long the broker holds a fetch that finds nothing: one request per wait while idle, and the longest stop() waits for it.
  maxWaitTimeInMs: 3000,
  // Sent between records, and after each empty fetch while idle: a rebalance is noticed within about a second under load.
  heartbeatInterval: 1000,
  // A member that died without leaving holds its partitions this long; well above the longest handler (payment: about 5 s).
  sessionTimeout: 10_000,
  // Topics are declared at start-up; subscribing to an unknown one is a mistake to report, not a topic to create.
  allowAutoTopicCreation: false,
} as const;

/** Partitions a member consumes at once. */
const partitionsConsumedConcurrently = 4;

/**
 * Within one batch, done messages are committed at least this often. Once per message, the commits
 * were as many broker round trips as the messages: at a new group's first fetch, which passes over
 * a topic's whole history one commit at a time, thousands.
 */
const commitEveryMs = 1000;

/**
 * One consumer group member, reading the subscribed topics and their retry topics. A message counts
 * as done once it was handled or sent on to a retry topic or the DLQ, so a failing message never
 * holds up its partition. What is done is committed by hand, once per batch: when the batch ends
 * (however it ends), at least every `commitEveryMs` within a long one, and for every partition
 * when the member stops. A member that dies hands its successor at most that much again, which the
 * handlers' idempotency absorbs. A retry that is not due yet pauses only its own retry partition,
 * and a timer resumes it when it is due; kafkajs then fetches that partition again from the
 * unresolved retry.
 */
export async function startKafkaConsumer(
  kafka: Kafka,
  subscription: Subscription,
  options: KafkaConsumerOptions,
): Promise<RunningSubscription> {
  const handlers = handlerTableOf(subscription.handlers);
  const consumed = consumedTopicsOf(handlers.keys(), options.retry);
  const measured = measuredConsuming(
    {
      catalog: options.catalog,
      handlers,
      groupId: subscription.groupId,
      retry: options.retry,
      random: options.random,
      send: (topic, record) => options.publisher.publishRecord(topic, record),
    },
    options.metrics,
  );
  const stopping = new AbortController();
  const resumeTimers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const consumer = kafka.consumer({ groupId: subscription.groupId, ...consumerSettings });
  const done = new DoneOffsets(consumer);
  const startAfter =
    subscription.startAt === 'latest'
      ? await endsOfNewPartitions(kafka, subscription.groupId, [...consumed.keys()])
      : new Map<string, bigint>();
  const member: Member = {
    done,
    startAfter,
    consumed,
    measured,
    stopping: stopping.signal,
    resumeAfter: (resume, delayMs) => {
      const timer = setTimeout(() => {
        resumeTimers.delete(timer);
        resume();
      }, delayMs);
      resumeTimers.add(timer);
    },
    track: (work) => {
      const tracked = work.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return tracked;
    },
  };
  await consumer.connect();
  // Subscribing reads the topics' metadata, which a busy broker may not have for topics just created.
  await withLeadershipRetries(() =>
    consumer.subscribe({ topics: [...consumed.keys()], fromBeginning: true }),
  );
  options.lag?.watch(subscription.groupId, consumed.keys());
  // Joining the group is not awaited: after a crash the broker holds the dead member's partitions
  // for its session timeout, and a service must be live meanwhile. `joined` tells readiness.
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  const runOptions = {
    // A handler waits on its stores far longer than it computes: one member handles up to this many
    // of its partitions at once (each partition's messages stay in order). One at a time, a busy
    // machine's store latency capped a member at a few dozen messages a second.
    partitionsConsumedConcurrently,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload: EachBatchPayload) => consumeBatch(member, payload),
  };
  let failure: Error | undefined;
  const fail = (error: unknown) => {
    if (stopping.signal.aborted) return;
    failure = error instanceof Error ? error : new Error(String(error));
    options.onCrash?.(failure);
  };
  const run = () => consumer.run(runOptions).catch(fail);
  let running = run();
  // kafkajs restarts a member after a retriable error (a rebalance, a broker that went away). After
  // any other error it disconnects the member and leaves it stopped. Some of those only say that no
  // broker could be reached, or that the group removed this member while it was cut off: then this
  // member restarts itself, with backoff, for as long as it takes (`joined` is false meanwhile).
  // Any other (one thrown by this file's batch handling, a record the broker refuses for good)
  // stops it: readiness and liveness say so (connect-messaging.ts).
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => (restarts = 0));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || stopping.signal.aborted) return;
    if (!restartable(payload.error)) return fail(payload.error);
    joined = false;
    restarts += 1;
    const delayMs = backoffDelayMs(restarts, restartBackoff, options.random);
    options.onRestart?.(payload.error, delayMs);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (!stopping.signal.aborted) running = run();
    }, delayMs);
  });
  return {
    joined: () => joined,
    failure: () => failure,
    stop: async () => {
      stopping.abort();
      clearTimeout(restartTimer);
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      // The in-flight message is handled, and everything done committed, before kafkajs is told to
      // stop: once its runner stops, it drops commits silently, and the messages would be delivered again.
      await Promise.allSettled([...inFlight]);
      await done.commitAll().catch(() => undefined);
      // A member still joining is let finish first: kafkajs would start fetching after a disconnect
      // that came during its join.
      await running;
      // kafkajs waits for the running batch, whose loop ends at the abort; then it leaves the group.
      await consumer.disconnect();
    },
  };
}

/**
 * `topic/partition` → its end offset now, for the partitions where the group has committed nothing:
 * a group that starts at the latest offset passes over what lies below. kafkajs' own
 * `fromBeginning: false` resolves "latest" only at the member's first fetch, after it joined the
 * group, so a message published while `subscribe` resolves would be skipped; and moving the group's
 * offsets with the admin client joins the group once per topic, which takes seconds each.
 */
async function endsOfNewPartitions(
  kafka: Kafka,
  groupId: string,
  topics: string[],
): Promise<Map<string, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await withLeadershipRetries(() => readEnds(admin, groupId, topics));
  } finally {
    await admin.disconnect();
  }
}

async function readEnds(admin: Admin, groupId: string, topics: string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
    const committed = new Set(
      partitions.filter(({ offset }) => offset !== '-1').map(({ partition }) => partition),
    );
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      if (!committed.has(partition)) ends.set(`${topic}/${partition}`, BigInt(high));
  }
  return ends;
}

/** What the batches of one consumer group member share. */
interface Member {
  done: DoneOffsets;
  /** Offsets below these are passed over (committed unhandled): see `endsOfNewPartitions`. */
  startAfter: ReadonlyMap<string, bigint>;
  consumed: ReadonlyMap<string, ConsumedTopic>;
  measured: MeasuredConsuming;
  stopping: AbortSignal;
  resumeAfter(resume: () => void, delayMs: number): void;
  /** Makes stop() wait for `work`: a message being handled and committed. */
  track(work: Promise<void>): Promise<void>;
}

async function consumeBatch(
  { done, startAfter, consumed, measured: { context, consume }, stopping, resumeAfter, track }: Member,
  { batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload,
): Promise<void> {
  const from = consumed.get(batch.topic);
  if (!from) throw new Error(`a batch of ${batch.topic}, which this subscription does not read`);
  const { topic, partition } = batch;
  const passOverBelow = startAfter.get(`${topic}/${partition}`) ?? 0n;
  const markDone = (offset: string) => {
    resolveOffset(offset);
    done.mark(topic, partition, offset);
  };
  let ended = false;
  try {
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || stopping.aborted) break;
      if (BigInt(message.offset) < passOverBelow) {
        markDone(message.offset);
        continue;
      }
      const record: ConsumedRecord = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: headersAsStrings(message.headers),
      };
      const waitMs = msUntilDue(record, from, context.groupId, Date.now());
      if (waitMs > 0) {
        // Unresolved: once resumed, the partition is fetched again from this retry. Other partitions go on.
        resumeAfter(pause(), waitMs);
        break;
      }
      await track(
        (async () => {
          await consume(from, () => consumeRecord(context, from, record));
          markDone(message.offset);
          if (done.dueSince(topic, partition, commitEveryMs)) await done.commit(topic, partition);
        })(),
      );
      await heartbeat();
    }
    ended = true;
  } finally {
    // A batch cut short by an error (a rebalance that its heartbeat met) or by a seek commits
    // nothing more: the partition may be another member's by now. Its done messages are delivered
    // again, which the handlers' idempotency absorbs.
    if (!ended || isStale()) done.forget(topic, partition);
  }
  await track(done.commit(topic, partition));
}

/**
 * A member's done offsets not yet committed, per partition. Every batch of a partition marks and
 * commits through it, and `stop` commits whatever is left. What is committed is the offset after
 * the last done message: the group resumes there.
 */
class DoneOffsets {
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private readonly committedAt = new Map<string, number>();

  constructor(private readonly consumer: Consumer) {}

  /** The message at `offset` is done: the partition's commit names the next offset, the one to read from. */
  mark(topic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${topic}/${partition}`, {
      topic,
      partition,
      offset: (BigInt(offset) + 1n).toString(),
    });
  }

  /** Whether the partition's last commit was `ms` or more ago (or never was). */
  dueSince(topic: string, partition: number, ms: number): boolean {
    return Date.now() - (this.committedAt.get(`${topic}/${partition}`) ?? 0) >= ms;
  }

  async commit(topic: string, partition: number): Promise<void> {
    const key = `${topic}/${partition}`;
    const done = this.uncommitted.get(key);
    if (!done) return;
    this.uncommitted.delete(key);
    this.committedAt.set(key, Date.now());
    await this.consumer.commitOffsets([done]);
  }

  forget(topic: string, partition: number): void {
    this.uncommitted.delete(`${topic}/${partition}`);
  }

  commitAll(): Promise<void> {
    const all = [...this.uncommitted.values()];
    this.uncommitted.clear();
    return all.length === 0 ? Promise.resolve() : this.consumer.commitOffsets(all);
  }
}
