/**
 * CPU time per request of a process, from `/proc/<pid>/stat` read before and after a measurement:
 * utime + stime (user and system time, in clock ticks, every thread of the process included).
 */

/** utime + stime of one `/proc/<pid>/stat` line, in clock ticks. */
export function cpuTicksOfStat(statText: string): number {
  // The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const closing = statText.lastIndexOf(')');
  if (closing < 0) throw new Error(`not a /proc/<pid>/stat line: "${statText.slice(0, 80)}"`);
  // After it come the fields from 3 (state) on: utime is field 14, stime field 15.
  const fields = statText
    .slice(closing + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`no utime/stime in /proc/<pid>/stat line: "${statText.slice(0, 80)}"`);
  return utime + stime;
}

/** Microseconds of CPU per request between two readings; NaN when no request was answered. */
export function cpuMicrosPerRequest(
  ticksBefore: number,
  ticksAfter: number,
  ticksPerSecond: number,
  requests: number,
): number {
  if (requests <= 0) return Number.NaN;
  return ((ticksAfter - ticksBefore) * 1_000_000) / ticksPerSecond / requests;
}
