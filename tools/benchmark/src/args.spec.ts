import { parseInvocation, UsageError } from './args.ts';

const optionsOf = (argv: string[]) => {
  const invocation = parseInvocation(argv);
  if (invocation.help) throw new Error('expected options, got help');
  return invocation.options;
};

describe('parseInvocation', () => {
  it('when nothing is given, then every suite runs for 10 s on 10 connections, pinned, without JSON', () => {
    expect(optionsOf([])).toEqual({
      durationSeconds: 10,
      connections: 10,
      suites: ['gateway', 'tracing', 'saga', 'idempotency', 'embedded', 'scale', 'breaker', 'kafka'],
      pin: true,
      seedOrders: 0,
    });
  });

  it('when options are given, then they are taken', () => {
    expect(
      optionsOf([
        '--duration',
        '5',
        '--connections',
        '32',
        '--json',
        'out.json',
        '--no-pin',
        '--seed-orders',
        '100000',
        '--cpu-prof',
        'tmp/profiles',
      ]),
    ).toEqual({
      durationSeconds: 5,
      connections: 32,
      suites: ['gateway', 'tracing', 'saga', 'idempotency', 'embedded', 'scale', 'breaker', 'kafka'],
      jsonFile: 'out.json',
      pin: false,
      seedOrders: 100_000,
      cpuProfileDir: 'tmp/profiles',
    });
  });

  it('when --only lists suites in any order, then they run once each in the fixed order', () => {
    expect(optionsOf(['--only', 'tracing, gateway,tracing']).suites).toEqual(['gateway', 'tracing']);
  });

  it('when --help is given, then help is asked for', () => {
    expect(parseInvocation(['--duration', '3', '--help'])).toEqual({ help: true });
  });

  it.each([
    [['--only', 'gateway,rabbitmq'], /unknown: rabbitmq/],
    [['--only', ','], /at least one/],
    [['--duration', '0'], /--duration takes a positive whole number/],
    [['--seed-orders', 'many'], /--seed-orders takes a positive whole number/],
    [['--duration', '2.5'], /--duration/],
    [['--connections', 'many'], /--connections/],
    [['--json', ' '], /--json needs a file name/],
    [['--verbose'], /verbose/],
    [['gateway'], /positional/i],
  ])('when the command line is %j, then a usage error names the problem', (argv, message) => {
    expect(() => parseInvocation(argv)).toThrow(UsageError);
    expect(() => parseInvocation(argv)).toThrow(message);
  });
});
