import { parseInvocation, usage, UsageError } from './args.ts';
import { runBenchmark } from './run-benchmark.ts';

/** Exit codes: 0 measured (skipped suites say why), 1 a suite or the set-up failed, 2 a bad command line. */
async function main(argv: string[]): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.help) {
      console.log(usage);
      return 0;
    }
    return await runBenchmark(invocation.options);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`benchmark: ${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(`benchmark: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
