/** A Kafka record as bytes and string headers, independent of any client library. */
export interface WireRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** A record read back from a partition, with where it was read. */
export interface ConsumedRecord extends WireRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are int64; kept as a decimal string like the clients do. */
  offset: string;
}
