/**
 * Latency percentiles, and the coordinated-omission correction applied before them.
 *
 * A closed-loop load generator (autocannon: each connection waits for its answer before it sends
 * the next request) sends nothing while the server stalls, so the requests it *should* have sent
 * during the stall are missing from the sample and the percentiles look better than what users
 * would see. When a rate is held, each connection intends one request every `1000 / rate` ms; the
 * correction is HdrHistogram's `recordValueWithExpectedInterval`: an answer that took `v` ms also
 * stands for the requests that would have waited `v - i`, `v - 2i`, ... (down to `i`).
 *
 * autocannon has this correction built in, but computes the interval as `ceil(1 / rate)` = 1 ms
 * for any rate above 1/s per connection (lib/run.js), which turns every 20 ms answer into 20
 * samples: we switch it off (`ignoreCoordinatedOmission`) and apply it here with the right interval.
 */

export interface LatencySummary {
  /** Samples the percentiles were taken from (after the correction, when there was one). */
  samples: number;
  p50: number;
  p99: number;
  p99_9: number;
  max: number;
}

/** The nearest-rank percentile (q in 0..1) of samples sorted ascending; NaN when there are none. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Every sample, plus the ones a stalled connection failed to send; unchanged without an interval. */
export function correctForCoordinatedOmission(
  samplesMs: readonly number[],
  expectedIntervalMs: number | undefined,
): number[] {
  if (expectedIntervalMs === undefined || !(expectedIntervalMs > 0)) return [...samplesMs];
  const corrected: number[] = [];
  for (const value of samplesMs) {
    corrected.push(value);
    for (
      let missing = value - expectedIntervalMs;
      missing >= expectedIntervalMs;
      missing -= expectedIntervalMs
    )
      corrected.push(missing);
  }
  return corrected;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentileOfSorted(sorted, 0.5),
    p99: percentileOfSorted(sorted, 0.99),
    p99_9: percentileOfSorted(sorted, 0.999),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}
