/**
 * CPU time per request of a process, from `/proc/<pid>/stat` read before and after a measurement:
 * utime + stime (user and system time, in clock ticks, every thread of the process included).
 */

/** The sum of two numbered fields (1-based, as proc(5) numbers them) of a `/proc/<pid>/stat` line. */
function sumOfStatFields(statText: string, first: number, second: number, what: string): number {
  // The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const closing = statText.lastIndexOf(')');
  if (closing < 0) throw new Error(`not a /proc/<pid>/stat line: "${statText.slice(0, 80)}"`);
  // After it come the fields from 3 (state) on.
  const fields = statText
    .slice(closing + 1)
    .trim()
    .split(/\s+/);
  const values = [Number(fields[first - 3]), Number(fields[second - 3])];
  if (!values.every(Number.isInteger))
    throw new Error(`no ${what} in /proc/<pid>/stat line: "${statText.slice(0, 80)}"`);
  return (values[0] as number) + (values[1] as number);
}

/** utime + stime (fields 14 and 15) of one `/proc/<pid>/stat` line, in clock ticks. */
export function cpuTicksOfStat(statText: string): number {
  return sumOfStatFields(statText, 14, 15, 'utime/stime');
}

/** cutime + cstime (fields 16 and 17): the children the process waited for, in clock ticks. */
export function reapedChildrenTicksOfStat(statText: string): number {
  return sumOfStatFields(statText, 16, 17, 'cutime/cstime');
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
