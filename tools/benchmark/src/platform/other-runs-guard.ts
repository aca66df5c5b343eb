import { ownPids } from './child-registry.ts';
import { describeOthers, otherPlatformProcesses } from './other-runs.ts';

const MAX_WAIT_MS = 10 * 60_000;
const POLL_MS = 5000;

/**
 * Before a suite: waits (up to 10 minutes) for other runs of the platform on this machine to end,
 * since they would share our commands (other-runs.ts). Resolves with a warning for the report
 * when they did not end, undefined when the machine is ours.
 */
export async function waitForOtherRuns(say: (line: string) => void): Promise<string | undefined> {
  let others = otherPlatformProcesses(ownPids());
  if (others.length === 0) return undefined;
  say(
    `waiting for another run of the platform to end: ${describeOthers(others)}; ` +
      "it would consume this run's commands on the shared topics, and this run its own",
  );
  const began = Date.now();
  let lastSaid = began;
  while (others.length > 0 && Date.now() - began < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    others = otherPlatformProcesses(ownPids());
    if (others.length > 0 && Date.now() - lastSaid >= 60_000) {
      say(`  still waiting (${Math.round((Date.now() - began) / 1000)} s): ${describeOthers(others)}`);
      lastSaid = Date.now();
    }
  }
  if (others.length === 0) {
    say('  it ended; going on');
    return undefined;
  }
  say(`  still running after ${MAX_WAIT_MS / 60_000} minutes: measuring anyway`);
  return overlapWarning(describeOthers(others));
}

/** After a suite: a warning when another run came up meanwhile. */
export function otherRunsNow(): string | undefined {
  const others = otherPlatformProcesses(ownPids());
  return others.length === 0 ? undefined : overlapWarning(describeOthers(others));
}

function overlapWarning(others: string): string {
  return `another run of the platform overlapped (${others}): it shared this run's Kafka commands, so these figures (and that run's results) may be wrong`;
}
