import { parseCommand, UsageError } from './args.ts';

const env = {};

describe('parseCommand', () => {
  it('when no broker is given, then KAFKA_BROKERS is used, else the local broker', () => {
    expect(parseCommand(['list'], env)).toEqual({ name: 'list', brokers: ['127.0.0.1:9092'] });
    expect(parseCommand(['list'], { KAFKA_BROKERS: 'k1:9092, k2:9093' })).toEqual({
      name: 'list',
      brokers: ['k1:9092', 'k2:9093'],
    });
    expect(parseCommand(['list', '--brokers', 'k3:1'], { KAFKA_BROKERS: 'k1:9092' })).toMatchObject({
      brokers: ['k3:1'],
    });
  });

  it('when list names a topic, then it lists that topic', () => {
    expect(parseCommand(['list', '--topic', 'orders.events.v1.dlq'], env)).toMatchObject({
      name: 'list',
      topic: 'orders.events.v1.dlq',
    });
  });

  it('when inspect names a position, then it is split into partition and offset', () => {
    expect(parseCommand(['inspect', 'orders.events.v1.dlq', '2:41'], env)).toMatchObject({
      name: 'inspect',
      topic: 'orders.events.v1.dlq',
      partition: 2,
      offset: '41',
    });
  });

  it('when replay gets --all or --id, then that is the selection', () => {
    expect(parseCommand(['replay', 't.dlq', '--all'], env)).toMatchObject({ select: { all: true } });
    expect(parseCommand(['replay', 't.dlq', '--id', 'event-1'], env)).toMatchObject({
      select: { id: 'event-1' },
    });
  });

  it('when --help is given, then it asks for the usage', () => {
    expect(parseCommand(['replay', '--help'], env)).toEqual({ name: 'help' });
  });

  it.each([
    ['no command', [], /no command/],
    ['an unknown command', ['purge'], /unknown command "purge"/],
    ['an unknown option', ['list', '--force'], /--force/],
    ['a topic that is not a DLQ', ['list', '--topic', 'orders.events.v1'], /not a dead-letter topic/],
    ['inspect without a position', ['inspect', 't.dlq'], /inspect takes 2 arguments, not 1/],
    [
      'a position that is not partition:offset',
      ['inspect', 't.dlq', '2-41'],
      /"2-41" is not <partition>:<offset>/,
    ],
    ['replay without a selection', ['replay', 't.dlq'], /exactly one of --id <ce_id> and --all/],
    ['replay with both selections', ['replay', 't.dlq', '--all', '--id', 'x'], /exactly one of/],
    ['extra arguments', ['list', 'extra'], /list takes 0 arguments, not 1 \(extra\)/],
    ['a broker without a port', ['list', '--brokers', 'kafka'], /"kafka" is not a broker list/],
  ])('when given %s, then it is a usage error saying so', (_, argv, message) => {
    expect(() => parseCommand(argv, env)).toThrow(UsageError);
    expect(() => parseCommand(argv, env)).toThrow(message);
  });
});
