/**
 * How the load is laid out over autocannon instances.
 *
 * At saturation: one instance, every connection sending as soon as it has its answer.
 *
 * At a held rate: autocannon's `connectionRate` lets a connection send its quota for the second
 * back to back, then pause until its next one-second tick; every connection of one instance ticks
 * at the same moment, so the server would see all connections burst together at the top of each
 * second and idle for the rest: latencies "at half the rate" measured at full concurrency. So each
 * connection gets its own instance, started `1000 / connections` ms after the previous one, which
 * spreads the bursts evenly over the second.
 */
export interface LoadPhase {
  startDelayMs: number;
  connections: number;
  /** Requests per second of each connection; absent at saturation. */
  connectionRate?: number;
}

export interface LoadPlan {
  phases: LoadPhase[];
  /** The overall rate the phases add up to (whole requests per connection and second). */
  targetRate?: number;
  /** How often each connection means to send, in ms. */
  expectedIntervalMs?: number;
}

export function planLoad(connections: number, ratePerSecond?: number): LoadPlan {
  if (ratePerSecond === undefined) return { phases: [{ startDelayMs: 0, connections }] };
  if (!(ratePerSecond >= 1))
    throw new Error(`a held rate must be at least 1 request/s, not ${ratePerSecond}`);
  // Each connection sends a whole number of requests per second, at least one.
  const used = Math.max(1, Math.min(connections, Math.floor(ratePerSecond)));
  const connectionRate = Math.max(1, Math.round(ratePerSecond / used));
  const phases = Array.from({ length: used }, (_, index) => ({
    startDelayMs: Math.round((index * 1000) / used),
    connections: 1,
    connectionRate,
  }));
  return { phases, targetRate: used * connectionRate, expectedIntervalMs: 1000 / connectionRate };
}
