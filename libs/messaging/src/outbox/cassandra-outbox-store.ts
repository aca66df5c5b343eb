import { types, type Client } from 'cassandra-driver';
import type { ClaimedOutboxEvent, StoredOutboxEvent } from './outbox-event';
import { OutboxSignal } from './outbox-signal';
import type { ClaimRequest, FailedAttempt, HeadClaimRequest, OutboxStore } from './outbox-store.port';

/** A statement to add to the service's own logged batch, next to its state change. */
export interface BatchStatement {
  query: string;
  params: unknown[];
}

interface OutboxRow {
  aggregate_id: string;
  sequence: types.TimeUuid;
  occurred_at: Date;
  event_id: string;
  type: string;
  data: string;
  traceparent: string | null;
  tracestate: string | null;
  correlation_id: string | null;
  generation: number;
  lease_until: Date | null;
  attempts: number;
}

const columns =
  'aggregate_id, sequence, occurred_at, event_id, type, data, traceparent, tracestate, correlation_id, generation, lease_until, attempts';

/**
 * Pending events in a table partitioned by aggregate id and ordered by time within it. A service
 * writes them with `insertStatementsFor` in the same logged batch as its state change, so both
 * happen or neither does. Every later change of an event row is a lightweight transaction on its
 * `generation`: Paxos makes exactly one of several concurrent claimers win, and a relay whose lease
 * was taken over can no longer change the row. A published event's row is deleted.
 *
 * Claims read the head of each partition (`PER PARTITION LIMIT 1`) across the table, a token range
 * scan that costs in proportion to the partitions with pending events; published rows leave
 * tombstones until compaction.
 */
export class CassandraOutboxStore implements OutboxStore {
  /** The service notifies it once its logged batch with `insertStatementsFor` has been applied. */
  readonly written = new OutboxSignal();
  /** Where the next scan starts, by partition token, so blocked aggregates cannot starve the rest. */
  private scanAfter: types.Long | undefined;

  /** @param table `keyspace.table` */
  constructor(
    private readonly client: Client,
    private readonly table: string,
    private readonly scanFactor = 4,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        aggregate_id text, sequence timeuuid, occurred_at timestamp, event_id text,
        type text, data text, traceparent text, tracestate text, correlation_id text,
        generation int, lease_owner text, lease_until timestamp, attempts int, last_error text,
        PRIMARY KEY ((aggregate_id), sequence)
      ) WITH CLUSTERING ORDER BY (sequence ASC)`,
    );
  }

  /**
   * The inserts of an aggregate's new events, for the caller's logged batch; `data` is stored as
   * JSON. A time UUID made now orders the events as written, also those sharing one `occurredAt`.
   */
  insertStatementsFor(aggregateId: string, events: readonly StoredOutboxEvent[]): BatchStatement[] {
    return events.map((event) => ({
      query: `INSERT INTO ${this.table} (aggregate_id, sequence, occurred_at, event_id, type, data, traceparent, tracestate, correlation_id, generation, attempts)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      params: [
        aggregateId,
        types.TimeUuid.now(),
        event.occurredAt,
        event.id,
        event.type,
        JSON.stringify(event.data),
        event.traceparent,
        event.tracestate ?? null,
        event.correlationId ?? null,
      ],
    }));
  }

  /** The aggregate's pending events, oldest first. */
  async outboxOf(aggregateId: string): Promise<StoredOutboxEvent[]> {
    const result = await this.client.execute(
      `SELECT ${columns} FROM ${this.table} WHERE aggregate_id = ?`,
      [aggregateId],
      { prepare: true },
    );
    return result.rows.map((row) => eventOf(row as unknown as OutboxRow));
  }

  async claim({ owner, limit, leaseMs, now }: ClaimRequest): Promise<ClaimedOutboxEvent[]> {
    if (limit <= 0) return [];
    const heads = await this.scanHeads(limit * this.scanFactor);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed: ClaimedOutboxEvent[] = [];
    for (const head of heads) {
      if (claimed.length >= limit) break;
      const one = await this.leaseHead(head, owner, now, leaseUntil);
      if (one) claimed.push(one);
    }
    return claimed;
  }

  async claimHead(
    aggregateId: string,
    event: Readonly<StoredOutboxEvent>,
    { owner, leaseMs, now }: HeadClaimRequest,
  ): Promise<ClaimedOutboxEvent | undefined> {
    // One partition's first row: a read by key, where a claim's scan reads the head of every partition.
    const head = (
      await this.client.execute(
        `SELECT ${columns} FROM ${this.table} WHERE aggregate_id = ? LIMIT 1`,
        [aggregateId],
        { prepare: true },
      )
    ).first() as unknown as OutboxRow | null;
    if (head?.event_id !== event.id) return undefined;
    return this.leaseHead(head, owner, now, new Date(now.getTime() + leaseMs));
  }

  async markPublished(claimed: ClaimedOutboxEvent): Promise<void> {
    // Whoever holds the lease now, the event went out: delete it (conditionally, so every write of the row goes through Paxos).
    await this.client.execute(
      `DELETE FROM ${this.table} WHERE aggregate_id = ? AND sequence = ? IF EXISTS`,
      [claimed.aggregateId, rowOf(claimed).sequence],
      { prepare: true },
    );
  }

  async recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void> {
    await this.compareAndSet(
      `UPDATE ${this.table} SET attempts = ?, lease_until = ?, last_error = ?
       WHERE aggregate_id = ? AND sequence = ? IF generation = ? AND lease_owner = ?`,
      [
        claimed.attempts + 1,
        failure.nextAttemptAt,
        failure.error,
        claimed.aggregateId,
        rowOf(claimed).sequence,
        rowOf(claimed).generation,
        claimed.owner,
      ],
    );
  }

  async release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    for (const one of claimed) {
      await this.compareAndSet(
        `UPDATE ${this.table} SET lease_until = ?
         WHERE aggregate_id = ? AND sequence = ? IF generation = ? AND lease_owner = ?`,
        [now, one.aggregateId, rowOf(one).sequence, rowOf(one).generation, one.owner],
      );
    }
  }

  /** Leases a partition's head row unless a lease on it still runs: one lightweight transaction on its generation. */
  private async leaseHead(
    head: OutboxRow,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimedOutboxEvent | undefined> {
    if (head.lease_until && head.lease_until > now) return undefined;
    const generation = head.generation + 1;
    const won = await this.compareAndSet(
      `UPDATE ${this.table} SET generation = ?, lease_owner = ?, lease_until = ?
       WHERE aggregate_id = ? AND sequence = ? IF generation = ?`,
      [generation, owner, leaseUntil, head.aggregate_id, head.sequence, head.generation],
    );
    if (!won) return undefined;
    return {
      aggregateId: head.aggregate_id,
      event: eventOf(head),
      attempts: head.attempts,
      owner,
      leaseId: `${head.sequence.toString()}/${generation}`,
      leaseUntil,
    };
  }

  private async scanHeads(count: number): Promise<OutboxRow[]> {
    const select = `SELECT token(aggregate_id) AS partition_token, ${columns} FROM ${this.table}`;
    const after = this.scanAfter;
    // The driver's rows array is frozen; copy it to append the wrapped-around part.
    const page = [
      ...(after === undefined
        ? await this.client.execute(`${select} PER PARTITION LIMIT 1 LIMIT ?`, [count], { prepare: true })
        : await this.client.execute(
            `${select} WHERE token(aggregate_id) > ? PER PARTITION LIMIT 1 LIMIT ?`,
            [after, count],
            { prepare: true },
          )
      ).rows,
    ];
    if (page.length < count && after !== undefined) {
      const wrapped = await this.client.execute(
        `${select} WHERE token(aggregate_id) <= ? PER PARTITION LIMIT 1 LIMIT ?`,
        [after, count - page.length],
        {
          prepare: true,
        },
      );
      page.push(...wrapped.rows);
    }
    this.scanAfter =
      page.length < count
        ? undefined
        : (page[page.length - 1]?.['partition_token'] as types.Long | undefined);
    return page as unknown as OutboxRow[];
  }

  /** A lightweight transaction; a CAS timeout (contention, outcome unknown) counts as lost: the lease then expires. */
  private async compareAndSet(query: string, params: unknown[]): Promise<boolean> {
    try {
      const result = await this.client.execute(query, params, { prepare: true });
      return result.first()?.['[applied]'] === true;
    } catch (error) {
      if (isCasTimeout(error)) return false;
      throw error;
    }
  }
}

/** The row and the generation a claim holds, from its lease id `<sequence>/<generation>`. */
function rowOf(claimed: ClaimedOutboxEvent): { sequence: types.TimeUuid; generation: number } {
  const [sequence = '', generation = ''] = claimed.leaseId.split('/');
  return { sequence: types.TimeUuid.fromString(sequence), generation: Number(generation) };
}

function eventOf(row: OutboxRow): StoredOutboxEvent {
  const event: StoredOutboxEvent = {
    id: row.event_id,
    type: row.type,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as unknown,
    traceparent: row.traceparent,
    state: 'pending',
    attempts: 0,
  };
  if (row.tracestate) event.tracestate = row.tracestate;
  if (row.correlation_id) event.correlationId = row.correlation_id;
  return event;
}

function isCasTimeout(error: unknown): boolean {
  const code = (error as { code?: number } | undefined)?.code;
  return (
    code === types.responseErrorCodes.writeTimeout && (error as { writeType?: string }).writeType === 'CAS'
  );
}
