import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { findMessageByName, keyOf } from '@platform/contracts';
import { backoffDelayMs, type RetryBackoff } from '../backoff';
import { traceContextOf } from '../envelope/trace-context';
import type { MessagePublisher, OutgoingMessage } from '../message-publisher.port';
import type { MessagingMetrics } from '../metrics/messaging-metrics';
import type { ClaimedOutboxEvent, StoredOutboxEvent } from './outbox-event';
import type { WrittenOutboxEvents } from './outbox-signal';
import type { OutboxStore } from './outbox-store.port';

export interface OutboxRoute {
  topic: string;
  /** The wire name (`ce_type`); the stored type when absent. */
  type?: string;
  /** The message key; the aggregate id when absent, so one aggregate's messages share a partition. */
  key?: string;
}

/**
 * The default route: the stored type is a short name of @platform/contracts ('UserRegistered'),
 * which declares its topic, wire name and key field. An unknown name fails the attempt, visibly.
 */
export function routeByContract(event: Readonly<StoredOutboxEvent>): OutboxRoute {
  const definition = findMessageByName(event.type);
  if (!definition)
    throw new Error(
      `outbox event ${event.id} has type ${event.type}, which @platform/contracts does not declare`,
    );
  const data = event.data;
  const key =
    data !== null && typeof data === 'object'
      ? keyOf(definition, data as Record<string, unknown>)
      : undefined;
  return key === undefined
    ? { topic: definition.topic, type: definition.type }
    : { topic: definition.topic, type: definition.type, key };
}

export interface OutboxRelayOptions {
  store: OutboxStore;
  publisher: MessagePublisher;
  /** The producing service: the messages' `ce_source`. */
  source: string;
  /** Where an event goes; `routeByContract` when absent. */
  route?: (event: Readonly<StoredOutboxEvent>, aggregateId: string) => OutboxRoute;
  owner?: string;
  batchSize?: number;
  /**
   * Events of a batch published at once (each is the oldest of its aggregate, so no aggregate's
   * order is at stake). One at a time, a batch costs a broker and a store round trip per event in
   * turn, and a busy machine's backlog then grows faster than the relay drains it.
   */
  publishConcurrency?: number;
  /** Longer than publishing one batch takes, or a slow relay's events get published twice. */
  leaseMs?: number;
  /**
   * The periodic pass, a safety net: a running relay passes at once when its store's `written`
   * signal fires, so this only bounds how late it finds events it was not told about (written by
   * another instance, or left by one that crashed).
   */
  pollIntervalMs?: number;
  backoff?: RetryBackoff;
  /** In [0, 1); the jitter of the backoff. */
  random?: () => number;
  clock?: () => Date;
  /** Told of each event published (and how long after it was committed) and each failed attempt. */
  metrics?: Pick<MessagingMetrics, 'outboxPublished' | 'outboxPublishFailed'>;
  onError?: (
    error: unknown,
    context: {
      eventId?: string;
      step: 'claim' | 'publish' | 'mark-published' | 'record-failure' | 'release';
    },
  ) => void;
}

export interface RelayPass {
  claimed: number;
  published: number;
  failed: number;
}

/**
 * Publishes what services write to their outboxes: claims a batch, publishes each event with its
 * stored trace context, removes it once published, and retries failures with backoff. Several
 * relays may run at once; leases keep them off each other's events, and a dead relay's leases
 * expire so nothing is lost. Delivery is at least once: consumers deduplicate by `ce_id`.
 *
 * A started relay publishes right after their commit the events its store's `written` signal names,
 * each claimed where it is (`claimHead`), not found by a pass: per event, a conditional write to
 * claim it and one to remove it once published. One aggregate's events go out in turn, in the order
 * of their commits. What it cannot claim so (an older event waits, another relay holds it), and
 * every signal that names no events, starts a pass; signals during a pass make one more pass after
 * it. It passes again at once after a pass that published (an aggregate's next event is claimable
 * only then) or claimed a full batch, and otherwise waits `pollIntervalMs`.
 */
export class OutboxRelay {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly publishConcurrency: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: RetryBackoff;
  private readonly random: () => number;
  private readonly clock: () => Date;
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Set by a `written` signal; the loop clears it as a pass starts, so signals during the pass ask for another. */
  private written = false;
  private stopListening: (() => void) | undefined;
  private wake: (() => void) | undefined;
  /** Per aggregate, the end of the chain of its written events this relay publishes directly, in turn. */
  private readonly direct = new Map<string, Promise<void>>();

  constructor(private readonly options: OutboxRelayOptions) {
    this.owner = options.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 50;
    this.publishConcurrency = Math.max(1, options.publishConcurrency ?? 16);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 5 * 60_000 };
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Passes until `stop()`: at each `written` signal, after a pass that published, and every `pollIntervalMs`. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopListening = this.options.store.written.listen((written) => {
      // At most a batch's worth of aggregates at once; beyond that, passes take the rest.
      if (written && written.events.length > 0 && this.direct.size < this.batchSize)
        this.publishDirectly(written);
      else this.passSoon();
    });
    this.running = this.run();
  }

  /** Lets the events in flight finish, gives the rest of the batch back, and resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopListening?.();
    this.stopListening = undefined;
    this.wake?.();
    await Promise.all([this.running, ...this.direct.values()]);
    this.running = undefined;
  }

  /** One pass: claim a batch and publish it. The loop calls this; tests and tools may call it directly. */
  async publishPending(): Promise<RelayPass> {
    const pass: RelayPass = { claimed: 0, published: 0, failed: 0 };
    let batch: ClaimedOutboxEvent[];
    try {
      batch = await this.options.store.claim({
        owner: this.owner,
        limit: this.batchSize,
        leaseMs: this.leaseMs,
        now: this.clock(),
      });
    } catch (error) {
      this.options.onError?.(error, { step: 'claim' });
      return pass;
    }
    pass.claimed = batch.length;
    // `publishConcurrency` lanes take the batch's events in turn; once stopping, none takes another.
    let next = 0;
    const lane = async (): Promise<void> => {
      while (!this.stopping && next < batch.length) {
        const claimed = batch[next] as ClaimedOutboxEvent;
        next += 1;
        if (await this.publishOne(claimed)) pass.published += 1;
        else pass.failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.publishConcurrency, batch.length) }, lane));
    if (next < batch.length) await this.releaseQuietly(batch.slice(next));
    return pass;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.written = false;
      const pass = await this.publishPending();
      if (this.stopping) break;
      // Pass again at once while there may be more: a full batch, an aggregate's next event (a claim
      // takes only the oldest of each), or a commit signalled during the pass that its claim missed.
      const mayHaveMore = pass.claimed === this.batchSize || pass.published > 0 || this.written;
      if (!mayHaveMore) await this.sleep(this.pollIntervalMs);
    }
  }

  /** A pass at once, or right after the one under way. */
  private passSoon(): void {
    this.written = true;
    this.wake?.();
  }

  /**
   * Publishes a commit's events after those of the aggregate's earlier commits this relay was told
   * about. Outside the writer's trace, as a pass is: each message still joins the trace stored with it.
   */
  private publishDirectly({ aggregateId, events }: WrittenOutboxEvents): void {
    const chain = context.with(ROOT_CONTEXT, () =>
      (this.direct.get(aggregateId) ?? Promise.resolve()).then(() => this.publishInTurn(aggregateId, events)),
    );
    this.direct.set(aggregateId, chain);
    void chain.finally(() => {
      if (this.direct.get(aggregateId) === chain) this.direct.delete(aggregateId);
    });
  }

  /**
   * Claims each event where it is and publishes it, oldest first. The first it cannot claim, and
   * those behind it, are left to a pass; one that fails to publish keeps its lease until its next
   * attempt, and the events behind it wait for that too, as after a pass.
   */
  private async publishInTurn(aggregateId: string, events: readonly StoredOutboxEvent[]): Promise<void> {
    for (const event of events) {
      // Stopping: what is left stays in the store, for this relay's next start or another relay.
      if (this.stopping) return;
      let claimed: ClaimedOutboxEvent | undefined;
      try {
        const request = { owner: this.owner, leaseMs: this.leaseMs, now: this.clock() };
        claimed = await this.options.store.claimHead(aggregateId, event, request);
      } catch (error) {
        this.options.onError?.(error, { eventId: event.id, step: 'claim' });
      }
      if (!claimed) return this.passSoon();
      if (!(await this.publishOne(claimed))) return;
    }
  }

  private async publishOne(claimed: ClaimedOutboxEvent): Promise<boolean> {
    const { store, publisher, onError } = this.options;
    try {
      // Routing inside the try: an event that cannot be routed fails its attempt, with the reason, instead of stopping the relay.
      const message = this.messageOf(claimed);
      // Sent inside the stored trace context, so the producer's span (kafkajs instrumentation) joins
      // the trace of the request that wrote the event, and the consumer's span becomes its child.
      await context.with(traceContextOf(message), () => publisher.publish(message));
    } catch (error) {
      onError?.(error, { eventId: claimed.event.id, step: 'publish' });
      this.options.metrics?.outboxPublishFailed();
      const now = this.clock();
      const delay = backoffDelayMs(claimed.attempts + 1, this.backoff, this.random);
      try {
        await store.recordFailedAttempt(claimed, {
          now,
          nextAttemptAt: new Date(now.getTime() + delay),
          error: error instanceof Error ? error.message : String(error),
        });
      } catch (recordError) {
        // The lease still expires, so the event is retried anyway, only sooner.
        onError?.(recordError, { eventId: claimed.event.id, step: 'record-failure' });
      }
      return false;
    }
    const published = this.clock();
    this.options.metrics?.outboxPublished(
      Math.max(0, published.getTime() - new Date(claimed.event.occurredAt).getTime()) / 1000,
    );
    try {
      await store.markPublished(claimed, published);
    } catch (error) {
      // Published but not marked: it is published again after the lease, and consumers deduplicate.
      onError?.(error, { eventId: claimed.event.id, step: 'mark-published' });
    }
    return true;
  }

  private messageOf({ aggregateId, event }: ClaimedOutboxEvent): OutgoingMessage {
    const route = (this.options.route ?? routeByContract)(event, aggregateId);
    const message: OutgoingMessage = {
      topic: route.topic,
      key: route.key ?? aggregateId,
      type: route.type ?? event.type,
      data: event.data,
      id: event.id,
      time: new Date(event.occurredAt).toISOString(),
      source: this.options.source,
    };
    if (event.traceparent) message.traceparent = event.traceparent;
    if (event.tracestate) message.tracestate = event.tracestate;
    if (event.correlationId) message.correlationId = event.correlationId;
    return message;
  }

  private async releaseQuietly(claimed: ClaimedOutboxEvent[]): Promise<void> {
    try {
      await this.options.store.release(claimed, this.clock());
    } catch (error) {
      // Unreleased leases expire on their own; releasing only hands the events over sooner.
      this.options.onError?.(error, { step: 'release' });
    }
  }

  /** Until `ms` have passed, a `written` signal comes, or `stop()`. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
