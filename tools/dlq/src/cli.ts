import { parseCommand, usage, UsageError } from './args.ts';
import { runCommand } from './commands.ts';
import { messageOf, OperatorError } from './kafka-client.ts';

/** Exit codes: 0 done, 1 the operation failed (unknown topic, broker down, …), 2 a bad command line. */
async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCommand(argv, process.env);
    if (command.name === 'help') {
      console.log(usage);
      return 0;
    }
    return await runCommand(command, (text) => console.log(text));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`dlq: ${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(`dlq: ${error instanceof OperatorError ? error.message : `failed: ${messageOf(error)}`}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
