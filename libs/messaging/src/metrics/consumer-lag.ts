/** How far one consumer group is behind on one partition: messages appended that it has not committed. */
export interface LagSample {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** Reads the current lag of the groups it knows, when the metrics are scraped. */
export type LagSource = () => Promise<LagSample[]>;

/**
 * The samples of every source that answers within `timeoutMs`: a scrape must not hang on a slow or
 * unreachable broker. Each source that fails or times out is reported to `onFailure` and left out.
 */
export async function readLag(
  sources: Iterable<LagSource>,
  timeoutMs: number,
  onFailure: () => void,
): Promise<LagSample[]> {
  const results = await Promise.allSettled([...sources].map((source) => withTimeout(source(), timeoutMs)));
  return results.flatMap((result) => {
    if (result.status === 'fulfilled') return result.value;
    onFailure();
    return [];
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A partition's lag from its log end and the group's committed offset (negative: nothing committed yet). */
export function partitionLag(ends: { low: number; high: number }, committed: number): number {
  // With nothing committed the group starts from the beginning, so all that is retained is pending.
  const next = committed < 0 ? ends.low : Math.max(committed, ends.low);
  return Math.max(0, ends.high - next);
}
