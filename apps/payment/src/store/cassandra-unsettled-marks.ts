import { randomUUID } from 'node:crypto';
import { types, type Client } from 'cassandra-driver';
import type { UnsettledMark } from './payment-store.port';

/** Few partitions, so the reconciler reads them all in a handful of queries, yet no single hot one. */
const bucketCount = 8;
/** Tries of the take-over loop before giving up (the command is then delivered again). */
const maxTakeOverTries = 5;

/**
 * The orders whose payment may still owe something, found without scanning `payments` (whose
 * partitions are orders): a mark is written before a payment is claimed or a refund requested,
 * and removed once its outcome, refund and events are stored. A crash anywhere in between leaves
 * the mark, and the reconciler finishes the work.
 *
 * Rows live in `bucketCount` partitions by a hash of the order id. The reconciler reads each
 * partition with `since` filtered inside it (ALLOW FILTERING within one partition reads only that
 * partition). Every write is a lightweight transaction on the row's `holder` (the mark's token): a writer
 * that marks an order already marked takes the mark over with a fresh token (keeping `since`), and
 * removal is `IF holder = <my token>`, so a holder that finished earlier work never removes a mark a later writer
 * still needs. Only lightweight transactions touch the table, so their order is Paxos's alone.
 */
export class CassandraUnsettledMarks {
  /** Where the next read starts, so a full first partition cannot starve the others. */
  private firstBucket = 0;

  constructor(
    private readonly client: Client,
    /** `keyspace.table` */
    private readonly table: string,
  ) {}

  async ensureSchema(): Promise<void> {
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        bucket int, order_id text, holder uuid, since timestamp,
        PRIMARY KEY ((bucket), order_id)
      )`,
    );
  }

  async mark(orderId: string, now: Date): Promise<UnsettledMark> {
    const bucket = bucketOf(orderId);
    for (let attempt = 1; attempt <= maxTakeOverTries; attempt += 1) {
      const token = randomUUID();
      const inserted = await this.execute(
        `INSERT INTO ${this.table} (bucket, order_id, holder, since) VALUES (?, ?, ?, ?) IF NOT EXISTS`,
        [bucket, orderId, token, now],
      );
      if (inserted?.['[applied]'] === true) return { orderId, token, since: now };
      // A losing INSERT answers with the row as it is: take it over from its current holder.
      const heldBy = (inserted?.['holder'] as types.Uuid | undefined)?.toString();
      const since = (inserted?.['since'] as Date | undefined) ?? now;
      if (heldBy === undefined) continue;
      const updated = await this.execute(
        `UPDATE ${this.table} SET holder = ? WHERE bucket = ? AND order_id = ? IF holder = ?`,
        [token, bucket, orderId, heldBy],
      );
      if (updated?.['[applied]'] === true) return { orderId, token, since };
    }
    throw new Error(`order ${orderId}: the unsettled mark kept changing under ${maxTakeOverTries} tries`);
  }

  async remove(mark: UnsettledMark): Promise<void> {
    await this.execute(`DELETE FROM ${this.table} WHERE bucket = ? AND order_id = ? IF holder = ?`, [
      bucketOf(mark.orderId),
      mark.orderId,
      mark.token,
    ]);
  }

  async before(cutoff: Date, limit: number): Promise<UnsettledMark[]> {
    const marks: UnsettledMark[] = [];
    const first = this.firstBucket;
    this.firstBucket = (first + 1) % bucketCount;
    for (let read = 0; read < bucketCount && marks.length < limit; read += 1) {
      const bucket = (first + read) % bucketCount;
      const result = await this.client.execute(
        `SELECT order_id, holder, since FROM ${this.table} WHERE bucket = ? AND since <= ? LIMIT ? ALLOW FILTERING`,
        [bucket, cutoff, limit - marks.length],
        { prepare: true },
      );
      for (const row of result.rows)
        marks.push({
          orderId: row['order_id'] as string,
          token: (row['holder'] as types.Uuid).toString(),
          since: row['since'] as Date,
        });
    }
    return marks;
  }

  private async execute(query: string, params: unknown[]): Promise<types.Row | null> {
    return (await this.client.execute(query, params, { prepare: true })).first();
  }
}

/** FNV-1a of the order id: stable across processes and versions, as a bucket must be. */
function bucketOf(orderId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < orderId.length; index += 1) {
    hash ^= orderId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % bucketCount;
}
