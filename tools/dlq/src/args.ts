import { parseArgs } from 'node:util';

export const usage = `usage: npm run dlq -- <command> [options]

  list [--topic <t.dlq>]                     every *.dlq topic with its message count, or the messages of one
  inspect <t.dlq> <partition>:<offset>       one message: its headers and its value as JSON
  replay <t.dlq> (--id <ce_id> | --all)      re-publish parked messages onto their original topic, once each

options: --brokers <host:port,...> (default: KAFKA_BROKERS, else 127.0.0.1:9092), --help`;

export type Command =
  | { name: 'help' }
  | { name: 'list'; brokers: string[]; topic?: string }
  | { name: 'inspect'; brokers: string[]; topic: string; partition: number; offset: string }
  | { name: 'replay'; brokers: string[]; topic: string; select: { all: true } | { id: string } };

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommand(argv: string[], env: Record<string, string | undefined>): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        brokers: { type: 'string' },
        topic: { type: 'string' },
        id: { type: 'string' },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help) return { name: 'help' };
  const brokers = brokersOf(values.brokers ?? env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
  switch (name) {
    case 'list':
      expectArguments('list', rest, 0);
      return values.topic === undefined
        ? { name, brokers }
        : { name, brokers, topic: deadLetterTopic(values.topic) };
    case 'inspect': {
      const [topic, position] = expectArguments('inspect', rest, 2);
      return { name, brokers, topic: deadLetterTopic(topic), ...positionOf(position) };
    }
    case 'replay': {
      const [topic] = expectArguments('replay', rest, 1);
      if (values.all === (values.id !== undefined))
        throw new UsageError('replay needs exactly one of --id <ce_id> and --all');
      const select = values.id === undefined ? { all: true as const } : { id: values.id };
      return { name, brokers, topic: deadLetterTopic(topic), select };
    }
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

function expectArguments(command: string, values: string[], count: number): string[] {
  if (values.length !== count)
    throw new UsageError(
      `${command} takes ${count} argument${count === 1 ? '' : 's'}, not ${values.length}${values.length ? ` (${values.join(' ')})` : ''}`,
    );
  return values;
}

function deadLetterTopic(topic: string | undefined): string {
  if (!topic?.endsWith('.dlq')) throw new UsageError(`"${topic ?? ''}" is not a dead-letter topic (*.dlq)`);
  return topic;
}

function positionOf(position: string | undefined): { partition: number; offset: string } {
  const match = /^(\d+):(\d+)$/.exec(position ?? '');
  if (!match?.[1] || !match[2]) throw new UsageError(`"${position ?? ''}" is not <partition>:<offset>`);
  return { partition: Number(match[1]), offset: match[2] };
}

function brokersOf(list: string): string[] {
  const brokers = list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  const invalid = brokers.find((broker) => !/^[^:\s]+:\d+$/.test(broker));
  if (brokers.length === 0 || invalid !== undefined)
    throw new UsageError(`"${invalid ?? list}" is not a broker list (host:port,host:port)`);
  return brokers;
}
