import { parseInvocation, usage, UsageError } from './args.ts';
import { checkInvariants } from './check-invariants.ts';
import { formatReport } from './format.ts';
import { exitCodeOf } from './report.ts';
import { messageOf } from './sibling-tools.ts';

/** Exit codes: 0 every invariant holds, 1 one is violated, 2 a bad command line, 3 one could not be checked. */
async function main(argv: string[]): Promise<number> {
  try {
    const invocation = parseInvocation(argv, process.env);
    if (invocation.name === 'help') {
      console.log(usage);
      return 0;
    }
    const report = await checkInvariants(invocation.connections);
    console.log(invocation.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`invariants: ${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(`invariants: failed: ${messageOf(error)}`);
    return 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
